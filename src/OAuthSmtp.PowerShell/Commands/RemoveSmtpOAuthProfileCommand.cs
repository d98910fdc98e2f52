using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>Remove-SmtpOAuthProfile: deletes profiles and their stored secrets (a SecretManagement secret stays in its vault).</summary>
[Cmdlet(VerbsCommon.Remove, "SmtpOAuthProfile", DefaultParameterSetName = NameParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Remove-SmtpOAuthProfile.md")]
[OutputType(typeof(void))]
public sealed class RemoveSmtpOAuthProfileCommand : OAuthSmtpCmdlet
{
    private const string NameParameterSet = "Name";
    private const string InputObjectParameterSet = "InputObject";

    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameParameterSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectParameterSet)]
    [ValidateNotNull]
    public SmtpOAuthProfile[] InputObject { get; set; } = System.Array.Empty<SmtpOAuthProfile>();

    #endregion

    #region Method overrides

    protected override void ProcessRecord()
    {
        var store = ProfileResolver.OpenStore();
        if (ParameterSetName == InputObjectParameterSet)
        {
            foreach (var profile in InputObject)
            {
                Remove(store, profile.Name);
            }

            return;
        }

        foreach (var name in Name)
        {
            if (!ProfileNamePattern.ContainsWildcard(name))
            {
                Remove(store, name);
                continue;
            }

            try
            {
                foreach (var profile in store.FindProfiles(name))
                {
                    Remove(store, profile.Name);
                }
            }
            catch (OAuthSmtpException exception)
            {
                WriteEngineError(exception, name);
            }
        }
    }

    #endregion

    private void Remove(ProfileStore store, string name)
    {
        try
        {
            // Fail on an unknown name before asking for confirmation.
            var profile = store.GetStoredProfile(name);
            if (!ShouldProcess($"{profile.Name} ({profile.Mailbox})", "Remove connection profile"))
            {
                return;
            }

            var removed = store.RemoveProfile(profile.Name);

            // A removed profile's cached token and saved delegated sign-in go with it.
            TokenProvider.Shared.Forget(removed, includeDelegatedSignIn: true);
            WriteVerbose(removed.SecretProtection == SecretProtection.SecretManagement
                ? $"Removed profile '{removed.Name}'. Its secret '{removed.SecretName}' stays in SecretManagement; remove it with Remove-Secret if nothing else uses it."
                : $"Removed profile '{removed.Name}' and its stored secret from {store.ProfilesPath}.");
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, name);
        }
    }
}
