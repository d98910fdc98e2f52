using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-CASMailbox: Client Access settings with every property, SmtpClientAuthenticationDisabled included.</summary>
[Cmdlet(VerbsCommon.Get, "CASMailbox", DefaultParameterSetName = "Identity")]
[OutputType(typeof(PSObject))]
public sealed class GetCASMailboxCommand : ExchangeCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "Identity", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Identity { get; set; }

    [Parameter(ParameterSetName = "AnrSet")]
    public string? Anr { get; set; }

    [Parameter]
    public string? Filter { get; set; }

    [Parameter]
    public object? ResultSize { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var mailbox in MailboxSelection.Select(this, Identity, Anr, Filter, MailboxViews.ParseResultSize(ResultSize)))
        {
            WriteObject(MailboxViews.ToObject(MailboxViews.CasMailboxTypeName, MailboxViews.CasMailboxProperties(Tenant, mailbox), null));
        }
    }
}
