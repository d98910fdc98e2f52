using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Get-EXOCasMailbox (REST): the Minimum property set unless -Properties/-PropertySets ask for more, so
/// SmtpClientAuthenticationDisabled appears only with -Properties SmtpClientAuthenticationDisabled (or -PropertySets All).
/// </summary>
[Cmdlet(VerbsCommon.Get, "EXOCasMailbox", DefaultParameterSetName = "Identity")]
[OutputType(typeof(PSObject))]
public sealed class GetEXOCasMailboxCommand : ExchangeCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "Identity", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Identity { get; set; }

    [Parameter(ParameterSetName = "Anr")]
    public string? Anr { get; set; }

    [Parameter(ParameterSetName = "Identity", ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    [Parameter(ParameterSetName = "Identity", ValueFromPipelineByPropertyName = true)]
    public string? PrimarySmtpAddress { get; set; }

    [Parameter(ParameterSetName = "Identity", ValueFromPipelineByPropertyName = true)]
    public string? UserPrincipalName { get; set; }

    [Parameter]
    public string? Filter { get; set; }

    [Parameter]
    public string[]? Properties { get; set; }

    [Parameter]
    [ValidateSet("Minimum", "ActiveSync", "Ews", "Imap", "Mapi", "Pop", "ProtocolSettings", "All", IgnoreCase = true)]
    public string[]? PropertySets { get; set; }

    [Parameter]
    public object? ResultSize { get; set; }

    protected override void ProcessRecord()
    {
        var identity = SingleMailboxIdentity(Identity, ExternalDirectoryObjectId, PrimarySmtpAddress, UserPrincipalName);
        var selection = MailboxViews.Selection(MailboxViews.ExoCasMailboxMinimum, Properties, PropertySets);
        foreach (var mailbox in MailboxSelection.Select(this, identity, Anr, Filter, MailboxViews.ParseResultSize(ResultSize)))
        {
            WriteObject(MailboxViews.ToObject(MailboxViews.CasMailboxTypeName, MailboxViews.CasMailboxProperties(Tenant, mailbox), selection));
        }
    }
}
