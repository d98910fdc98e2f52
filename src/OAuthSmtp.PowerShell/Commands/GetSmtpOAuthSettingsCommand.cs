using System.Management.Automation;
using System.Net;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Profiles.ProductSettings;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Get-SmtpOAuthSettings: a profile's values as a product's configuration asks for them, under its vendor guide's
/// names (ProductSettingsBuilder). The client secret only with -IncludeSecret, as a SecureString unless -AsPlainText.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmtpOAuthSettings", HelpUri = HelpLinks.Base + "Get-SmtpOAuthSettings.md")]
[OutputType(typeof(ProductSetting))]
public sealed class GetSmtpOAuthSettingsCommand : OAuthSmtpCmdlet
{
    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string Profile { get; set; } = string.Empty;

    [Parameter(Position = 1)]
    public SettingsProduct Product { get; set; } = SettingsProduct.Generic;

    /// <summary>Put the client secret into its row (a SecureString); without it the row says how to ask.</summary>
    [Parameter]
    public SwitchParameter IncludeSecret { get; set; }

    /// <summary>With -IncludeSecret: the secret as plain text, to paste into a product's field.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    #endregion

    #region Method overrides

    protected override void BeginProcessing()
    {
        if (AsPlainText && !IncludeSecret)
        {
            ThrowEngineError(new OAuthSmtpException(
                ErrorIds.SettingsSecretNotRequested,
                ErrorKind.InvalidArgument,
                "-AsPlainText shows the client secret as text, and the secret is shown only when you ask for it with -IncludeSecret.",
                "Add -IncludeSecret (Get-SmtpOAuthSettings -Profile <name> -IncludeSecret -AsPlainText), or leave -AsPlainText out."));
        }
    }

    protected override void ProcessRecord()
    {
        try
        {
            var profile = ProfileResolver.OpenStore().GetProfile(Profile);
            var secretValue = IncludeSecret && profile.CredentialKind == CredentialKind.ClientSecret
                ? SecretValue(ProfileResolver.Resolve(this, Profile))
                : null;
            foreach (var setting in ProductSettingsBuilder.Build(profile, Product))
            {
                WriteObject(setting.IsSecret && secretValue is not null ? setting.WithValue(secretValue) : setting);
            }
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Profile);
        }
    }

    #endregion

    private object? SecretValue(ResolvedProfile resolved) =>
        resolved.Secret is null
            ? null
            : AsPlainText ? new NetworkCredential(string.Empty, resolved.Secret).Password : resolved.Secret;
}
