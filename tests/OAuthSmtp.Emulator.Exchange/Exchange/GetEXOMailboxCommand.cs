using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Get-EXOMailbox (REST): -Identity, -ExternalDirectoryObjectId, -PrimarySmtpAddress or -UserPrincipalName (one of them),
/// and the Minimum property set unless -Properties/-PropertySets ask for more (ExchangeGuid needs -Properties ExchangeGuid).
/// </summary>
[Cmdlet(VerbsCommon.Get, "EXOMailbox", DefaultParameterSetName = "Identity")]
[OutputType(typeof(PSObject))]
public sealed class GetEXOMailboxCommand : ExchangeCmdlet
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
    public string? RecipientTypeDetails { get; set; }

    [Parameter]
    public string[]? Properties { get; set; }

    [Parameter]
    [ValidateSet("Minimum", "All", "Archive", "Audit", "Custom", "Delivery", "Hold", "Moderation", "Move", "Policy", "PublicFolder", "Quota", "Resource", "Retention", "SCL", "SoftDelete", "StatisticsSeed", IgnoreCase = true)]
    public string[]? PropertySets { get; set; }

    [Parameter]
    public object? ResultSize { get; set; }

    protected override void ProcessRecord()
    {
        var identity = SingleMailboxIdentity(Identity, ExternalDirectoryObjectId, PrimarySmtpAddress, UserPrincipalName);
        var selection = MailboxViews.Selection(MailboxViews.ExoMailboxMinimum, Properties, PropertySets);
        foreach (var mailbox in MailboxSelection.Select(this, identity, Anr, Filter, MailboxViews.ParseResultSize(ResultSize), RecipientTypeDetails))
        {
            WriteObject(MailboxViews.ToObject(MailboxViews.MailboxTypeName, MailboxViews.MailboxProperties(Tenant, mailbox), selection));
        }
    }
}
