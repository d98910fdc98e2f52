using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-TransportConfig: the organisation's SmtpClientAuthenticationDisabled as set (admins see changes at once).</summary>
[Cmdlet(VerbsCommon.Get, "TransportConfig")]
[OutputType(typeof(Output.TransportConfig))]
public sealed class GetTransportConfigCommand : ExchangeCmdlet
{
    [Parameter(Position = 0)]
    public string? Identity { get; set; }

    protected override void EndProcessing()
    {
        bool disabled;
        lock (Tenant.SyncRoot)
        {
            disabled = Tenant.TransportConfig.SmtpClientAuthenticationDisabled;
        }

        WriteObject(new Output.TransportConfig { SmtpClientAuthenticationDisabled = disabled });
    }
}
