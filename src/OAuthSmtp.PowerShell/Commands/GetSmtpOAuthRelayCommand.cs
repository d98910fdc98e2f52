using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Setup;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Get-SmtpOAuthRelay: the relay's state, queue depth, dead letters, last errors and credential warnings. A client
/// secret made in the portal has an end date only Entra ID knows: in a Graph session this reads and records it for
/// the relay (which then warns 30 days ahead); without one it says the end date is unknown and how to record it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmtpOAuthRelay", HelpUri = HelpLinks.Base + "Get-SmtpOAuthRelay.md")]
[OutputType(typeof(RelayOverview))]
public sealed class GetSmtpOAuthRelayCommand : OAuthSmtpCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var store = new RelayConfigurationStore(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path));
            var warned = new HashSet<string>(StringComparer.Ordinal);
            foreach (var outcome in RecordSecretEndDates(store))
            {
                if (outcome.EndsOn is null || outcome.ExpiresSoon)
                {
                    WriteWarning($"Relay profile '{outcome.Profile}': {outcome.Message}");
                    warned.Add(outcome.Profile);
                }
                else
                {
                    WriteVerbose(outcome.Message);
                }
            }

            var overview = RelayOverview.Read(store);
            // The relay's "no recorded end date" may predate a recording just made: that one is judged afresh below.
            foreach (var warning in overview.CredentialWarnings.Where(w => w.Profile is null || (!warned.Contains(w.Profile) && w.Message != RelayCredentialEndDates.UnknownMessage(w.Profile))))
            {
                WriteWarning($"Relay profile '{warning.Profile}': {warning.Message}");
                warned.Add(warning.Profile ?? string.Empty);
            }

            foreach (var profile in RelayCredentialEndDates.Unknown(store).Where(p => !warned.Contains(p.Name)))
            {
                WriteWarning($"Relay profile '{profile.Name}': {RelayCredentialEndDates.UnknownMessage(profile.Name)}");
            }

            WriteObject(overview);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Path);
        }
    }

    /// <summary>The end dates read and recorded through the admin's Graph session; none without a session or an unknown date.</summary>
    private IReadOnlyList<RelayCredentialEndDate> RecordSecretEndDates(RelayConfigurationStore store)
    {
        if (!store.Exists || RelayCredentialEndDates.Unknown(store).Count == 0)
        {
            return Array.Empty<RelayCredentialEndDate>();
        }

        var graph = RunspaceGraphCommands.Connect(this, WriteVerbose, out var whyNot);
        if (graph is null)
        {
            WriteVerbose($"Client-secret end dates not read from Entra ID: {whyNot}.");
            return Array.Empty<RelayCredentialEndDate>();
        }

        return RelayCredentialEndDates.Record(store, graph, DateTimeOffset.UtcNow, CancellationToken);
    }
}
