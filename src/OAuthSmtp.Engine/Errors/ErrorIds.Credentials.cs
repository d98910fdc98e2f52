namespace OAuthSmtp.Engine.Errors;

// Get-SmtpOAuthSettings (a profile's values for a product), Update-SmtpOAuthCredential (rotation through Graph) and
// the Entra half of Test-SmtpOAuthSetup -Fix.
public static partial class ErrorIds
{
    /// <summary>Get-SmtpOAuthSettings: -AsPlainText without -IncludeSecret (there would be no secret to show).</summary>
    public const string SettingsSecretNotRequested = nameof(SettingsSecretNotRequested);
}
