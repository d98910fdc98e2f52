using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Remove-MailboxPermission: takes the named rights away from the user's entry (the entry goes when it is empty).</summary>
[Cmdlet(VerbsCommon.Remove, "MailboxPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "AccessRights")]
public sealed class RemoveMailboxPermissionCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "AccessRights", ValueFromPipelineByPropertyName = true)]
    [ValidateSet("ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission", IgnoreCase = true)]
    public string[] AccessRights { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = "AccessRights", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string User { get; set; } = "";

    [Parameter(ParameterSetName = "AccessRights", ValueFromPipelineByPropertyName = true)]
    public SwitchParameter Deny { get; set; }

    [Parameter(ParameterSetName = "AccessRights")]
    [ValidateSet("None", "All", "Children", "Descendents", "SelfAndChildren", IgnoreCase = true)]
    public string? InheritanceType { get; set; }

    [Parameter]
    public SwitchParameter BypassMasterAccountSid { get; set; }

    [Parameter]
    public SwitchParameter GroupMailbox { get; set; }

    protected override void ProcessRecord()
    {
        var mailbox = ResolveMailbox(Identity);
        if (mailbox is null) return;
        var trustee = ResolveSecurityPrincipal(User);
        if (trustee is null) return;
        var rights = AccessRights.Select(MailboxRights.Canonical).ToArray();

        lock (Tenant.SyncRoot)
        {
            var entry = Tenant.MailboxPermissions.FirstOrDefault(p =>
                TenantQueries.IsSameMailbox(Tenant, p.MailboxIdentity, mailbox)
                && string.Equals(p.User, trustee, StringComparison.OrdinalIgnoreCase) && p.Deny == Deny.IsPresent
                && rights.Any(r => p.AccessRights.Contains(r, StringComparer.OrdinalIgnoreCase)));
            if (entry is null)
            {
                WriteWarning($"Can't remove the access control entry on the object \"{TenantQueries.MailboxDistinguishedName(Tenant, mailbox)}\" for account \"{trustee}\" because the ACE doesn't exist on the object.");
                return;
            }

            if (!ShouldProcess(MailboxIdentity(mailbox), $"Remove mailbox permission {{{string.Join(", ", rights)}}} for user {trustee}")) return;
            entry.AccessRights.RemoveAll(r => rights.Contains(r, StringComparer.OrdinalIgnoreCase));
            if (entry.AccessRights.Count == 0) Tenant.MailboxPermissions.Remove(entry);
        }
    }
}
