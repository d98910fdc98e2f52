using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.PowerShell.Exchange.Output;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-MailboxPermission: the default NT AUTHORITY\SELF entry, then every explicit entry on the mailbox.</summary>
[Cmdlet(VerbsCommon.Get, "MailboxPermission", DefaultParameterSetName = "AccessRights")]
[OutputType(typeof(MailboxAcePresentationObject))]
public sealed class GetMailboxPermissionCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter(ParameterSetName = "AccessRights")]
    public string? User { get; set; }

    [Parameter(ParameterSetName = "Owner")]
    public SwitchParameter Owner { get; set; }

    [Parameter]
    public object? ResultSize { get; set; }

    [Parameter]
    public SwitchParameter IncludeUserWithDisplayName { get; set; }

    [Parameter]
    public SwitchParameter IncludeUnresolvedPermissions { get; set; }

    [Parameter]
    public SwitchParameter IncludeSoftDeletedUserPermissions { get; set; }

    [Parameter]
    public SwitchParameter SoftDeletedMailbox { get; set; }

    [Parameter]
    public SwitchParameter GroupMailbox { get; set; }

    [Parameter]
    public SwitchParameter ReadFromDomainController { get; set; }

    [Parameter]
    public SwitchParameter UseCustomRouting { get; set; }

    protected override void ProcessRecord()
    {
        var mailbox = ResolveMailbox(Identity);
        if (mailbox is null) return;
        var limit = MailboxViews.ParseResultSize(ResultSize);
        var identity = MailboxIdentity(mailbox);

        if (Owner.IsPresent)
        {
            WriteObject(new PSObject(new { Identity = identity, Owner = @"NT AUTHORITY\SYSTEM" }));
            return;
        }

        string? user = null;
        if (!string.IsNullOrWhiteSpace(User))
        {
            user = string.Equals(User!.Trim(), TenantQueries.SelfTrustee, StringComparison.OrdinalIgnoreCase)
                ? TenantQueries.SelfTrustee
                : ResolveSecurityPrincipal(User!);
            if (user is null) return;
        }

        var entries = new[]
        {
            new MailboxAcePresentationObject
            {
                Identity = identity, User = TenantQueries.SelfTrustee, AccessRights = new[] { "FullAccess", "ReadPermission" },
                IsInherited = false, Deny = false, InheritanceType = "All",
            },
        }.AsEnumerable();

        lock (Tenant.SyncRoot)
        {
            entries = entries.Concat(Tenant.MailboxPermissions
                .Where(p => TenantQueries.IsSameMailbox(Tenant, p.MailboxIdentity, mailbox) && p.AccessRights.Count > 0)
                .Select(p => new MailboxAcePresentationObject
                {
                    Identity = identity, User = p.User, AccessRights = p.AccessRights.ToArray(),
                    IsInherited = p.IsInherited, Deny = p.Deny, InheritanceType = p.InheritanceType,
                })
                .ToList());
        }

        foreach (var entry in entries.Where(e => user is null || string.Equals(e.User, user, StringComparison.OrdinalIgnoreCase)).Take(limit))
        {
            WriteObject(entry);
        }
    }
}
