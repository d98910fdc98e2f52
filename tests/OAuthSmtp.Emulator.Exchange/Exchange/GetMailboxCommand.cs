using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-Mailbox: every property of the mailbox (the classic cmdlet has no -Properties).</summary>
[Cmdlet(VerbsCommon.Get, "Mailbox", DefaultParameterSetName = "Identity")]
[OutputType(typeof(PSObject))]
public sealed class GetMailboxCommand : ExchangeCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "Identity", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Identity { get; set; }

    [Parameter(ParameterSetName = "AnrSet")]
    public string? Anr { get; set; }

    [Parameter]
    public string? Filter { get; set; }

    [Parameter]
    public string? RecipientTypeDetails { get; set; }

    [Parameter]
    public object? ResultSize { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var mailbox in MailboxSelection.Select(this, Identity, Anr, Filter, MailboxViews.ParseResultSize(ResultSize), RecipientTypeDetails))
        {
            WriteObject(MailboxViews.ToObject(MailboxViews.MailboxTypeName, MailboxViews.MailboxProperties(Tenant, mailbox), null));
        }
    }
}
