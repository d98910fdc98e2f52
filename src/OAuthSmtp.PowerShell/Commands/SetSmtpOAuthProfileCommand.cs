using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Set-SmtpOAuthProfile: changes settings of an existing profile, including its credential and secret.
/// Only the parameters given change; SmtpServer, Port, AuthorityHost and Scope follow a new -Cloud unless set.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SmtpOAuthProfile", DefaultParameterSetName = NameParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Set-SmtpOAuthProfile.md")]
[OutputType(typeof(SmtpOAuthProfile))]
public sealed class SetSmtpOAuthProfileCommand : ProfileSettingsCmdlet
{
    private const string NameParameterSet = "Name";
    private const string InputObjectParameterSet = "InputObject";

    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameParameterSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectParameterSet)]
    [ValidateNotNull]
    public SmtpOAuthProfile? InputObject { get; set; }

    /// <summary>Return the changed profile.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    #region Method overrides

    protected override void ProcessRecord()
    {
        var name = ParameterSetName == InputObjectParameterSet ? InputObject!.Name : Name;
        try
        {
            var store = ProfileResolver.OpenStore();
            var stored = store.GetStoredProfile(name);
            var profile = stored.Clone();
            using var secret = ApplySettings(profile, isNew: false);

            // -WhatIf and -Confirm say what would change, old -> new, with the derived settings as they will be saved.
            var after = profile.Clone();
            ProfileValidator.Normalize(after);
            var changes = ProfileChanges.Describe(stored, after, secret is not null);
            var action = changes.Count == 0 ? "Change connection profile (nothing changes)" : "Change connection profile: " + string.Join("; ", changes);
            if (!ShouldProcess(profile.Name, action))
            {
                return;
            }

            var saved = store.UpdateProfile(profile, secret);

            // A token cached under the old settings must not outlive them (a rotated secret, another scope).
            TokenProvider.Shared.Forget(saved);
            WriteVerbose($"Changed profile '{saved.Name}' in {store.ProfilesPath}: {saved.CredentialKind} for {saved.Mailbox} via {saved.SmtpServer}:{saved.Port}; {DescribeSecret(saved)}.");
            if (PassThru)
            {
                WriteObject(saved);
            }
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, name);
        }
    }

    #endregion
}
