namespace OAuthSmtp.Engine.Errors;

// Get-SmtpOAuthSettings (a profile's values for a product), Update-SmtpOAuthCredential (rotation through Graph) and
// the Entra half of Test-SmtpOAuthSetup -Fix.
public static partial class ErrorIds
{
    /// <summary>Get-SmtpOAuthSettings: -AsPlainText without -IncludeSecret (there would be no secret to show).</summary>
    public const string SettingsSecretNotRequested = nameof(SettingsSecretNotRequested);

    /// <summary>Update-SmtpOAuthCredential: the profile has no secret or certificate of its own to rotate (managed identity, delegated sign-in).</summary>
    public const string CredentialRotationNotApplicable = nameof(CredentialRotationNotApplicable);

    /// <summary>Update-SmtpOAuthCredential: the Graph session's tenant has no app registration with the profile's client id.</summary>
    public const string CredentialApplicationNotFound = nameof(CredentialApplicationNotFound);

    /// <summary>Update-SmtpOAuthCredential: the new credential got no token or no SMTP AUTH; the old one and the profile are unchanged.</summary>
    public const string CredentialProofFailed = nameof(CredentialProofFailed);

    /// <summary>Update-SmtpOAuthCredential: -CredentialLifetime outside 1 day to 2 years.</summary>
    public const string CredentialLifetimeInvalid = nameof(CredentialLifetimeInvalid);

    /// <summary>Update-SmtpOAuthCredential: the new certificate's private key could not be written (.pfx or certificate store); nothing changed in Entra ID.</summary>
    public const string CredentialKeyNotKept = nameof(CredentialKeyNotKept);
}
