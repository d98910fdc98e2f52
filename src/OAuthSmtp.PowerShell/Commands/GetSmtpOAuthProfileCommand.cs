using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>Get-SmtpOAuthProfile: lists the current user's connection profiles, by name or wildcard.</summary>
[Cmdlet(VerbsCommon.Get, "SmtpOAuthProfile", HelpUri = HelpLinks.Base + "Get-SmtpOAuthProfile.md")]
[OutputType(typeof(SmtpOAuthProfile))]
public sealed class GetSmtpOAuthProfileCommand : OAuthSmtpCmdlet
{
    #region Parameters

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[] Name { get; set; } = { "*" };

    #endregion

    #region Method overrides

    protected override void ProcessRecord()
    {
        ProfileStore store = ProfileResolver.OpenStore();
        foreach (var name in Name)
        {
            try
            {
                if (ProfileNamePattern.ContainsWildcard(name))
                {
                    // A wildcard that matches nothing is not an error, as with Get-Item and Get-Service.
                    WriteObject(store.FindProfiles(name), enumerateCollection: true);
                }
                else
                {
                    var profile = store.TryGetProfile(name);
                    if (profile is null)
                    {
                        WriteEngineError(new OAuthSmtpException(
                            ErrorIds.ProfileNotFound,
                            ErrorKind.ObjectNotFound,
                            $"There is no profile named '{name}'.",
                            "List the profiles with Get-SmtpOAuthProfile, or create this one with New-SmtpOAuthProfile.",
                            name));
                        continue;
                    }

                    WriteObject(profile);
                }
            }
            catch (OAuthSmtpException exception) when (exception.ErrorId == ErrorIds.InvalidProfileName)
            {
                WriteEngineError(exception, name);
            }
            catch (OAuthSmtpException exception)
            {
                // The store itself cannot be read: no other name would fare better.
                ThrowEngineError(exception);
            }
        }
    }

    #endregion
}
