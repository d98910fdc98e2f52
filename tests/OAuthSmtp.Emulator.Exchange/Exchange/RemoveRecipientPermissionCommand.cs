using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Remove-RecipientPermission -AccessRights SendAs -Trustee: removes the SendAs grant.</summary>
[Cmdlet(VerbsCommon.Remove, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveRecipientPermissionCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("SendAs", IgnoreCase = true)]
    public string[] AccessRights { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Trustee { get; set; } = "";

    protected override void ProcessRecord()
    {
        var mailbox = ResolveMailbox(Identity);
        if (mailbox is null) return;
        var trustee = ResolveSecurityPrincipal(Trustee);
        if (trustee is null) return;

        lock (Tenant.SyncRoot)
        {
            var entry = Tenant.RecipientPermissions.FirstOrDefault(p =>
                TenantQueries.IsSameMailbox(Tenant, p.Identity, mailbox) && string.Equals(p.Trustee, trustee, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                WriteWarning($"Can't remove the access control entry on the object \"{TenantQueries.MailboxDistinguishedName(Tenant, mailbox)}\" for account \"{trustee}\" because the ACE doesn't exist on the object.");
                return;
            }

            if (!ShouldProcess(MailboxIdentity(mailbox), $"Remove recipient permission 'SendAs' for '{trustee}'")) return;
            Tenant.RecipientPermissions.Remove(entry);
        }
    }
}
