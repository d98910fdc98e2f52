using System;
using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// New-SmtpOAuthProfile: creates a named connection profile in the current user's store and returns it.
/// </summary>
[Cmdlet(VerbsCommon.New, "SmtpOAuthProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "New-SmtpOAuthProfile.md")]
[OutputType(typeof(SmtpOAuthProfile))]
public sealed class NewSmtpOAuthProfileCommand : ProfileSettingsCmdlet
{
    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Replace a profile of the same name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    #endregion

    #region Method overrides

    protected override void ProcessRecord()
    {
        try
        {
            var profile = new SmtpOAuthProfile { Name = Name };
            ProfileValidator.ValidateName(Name);
            using var secret = ApplySettings(profile, isNew: true);

            var store = ProfileResolver.OpenStore();
            var exists = store.TryGetProfile(Name) is not null;
            if (exists && !Force)
            {
                throw new OAuthSmtpException(
                    ErrorIds.ProfileAlreadyExists,
                    ErrorKind.ResourceExists,
                    $"A profile named '{Name}' already exists.",
                    $"Change it with Set-SmtpOAuthProfile -Name '{Name}', replace it with New-SmtpOAuthProfile -Force, or choose another name.",
                    Name);
            }

            var action = exists ? "Replace connection profile" : "Create connection profile";
            if (!ShouldProcess($"{Name} ({profile.Mailbox}, {profile.CredentialKind})", action))
            {
                return;
            }

            var saved = store.SaveProfile(profile, secret, overwrite: Force);
            WriteVerbose($"Saved profile '{saved.Name}' in {store.ProfilesPath}: {saved.CredentialKind} for {saved.Mailbox} via {saved.SmtpServer}:{saved.Port}; {DescribeSecret(saved)}.");
            WriteObject(saved);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Name);
        }
    }

    #endregion
}
