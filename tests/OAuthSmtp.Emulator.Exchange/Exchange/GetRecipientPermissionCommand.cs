using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-RecipientPermission: NT AUTHORITY\SELF's SendAs on every mailbox, then the explicit SendAs grants.</summary>
[Cmdlet(VerbsCommon.Get, "RecipientPermission")]
[OutputType(typeof(Output.RecipientPermission))]
public sealed class GetRecipientPermissionCommand : ExchangeCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Identity { get; set; }

    [Parameter]
    [ValidateSet("SendAs", IgnoreCase = true)]
    public string[]? AccessRights { get; set; }

    [Parameter]
    public string? Trustee { get; set; }

    [Parameter]
    public object? ResultSize { get; set; }

    [Parameter]
    public SwitchParameter IncludeTrusteeWithPrimarySmtpAddress { get; set; }

    [Parameter]
    public SwitchParameter ReadFromDomainController { get; set; }

    protected override void ProcessRecord()
    {
        var limit = MailboxViews.ParseResultSize(ResultSize);
        List<Mailbox> mailboxes;
        if (IsNullOrEmptyIdentity(Identity))
        {
            lock (Tenant.SyncRoot) mailboxes = Tenant.Mailboxes.ToList();
        }
        else
        {
            var mailbox = ResolveMailbox(Identity!);
            if (mailbox is null) return;
            mailboxes = new List<Mailbox> { mailbox };
        }

        string? trustee = null;
        if (!string.IsNullOrWhiteSpace(Trustee))
        {
            trustee = string.Equals(Trustee!.Trim(), TenantQueries.SelfTrustee, StringComparison.OrdinalIgnoreCase)
                ? TenantQueries.SelfTrustee
                : ResolveSecurityPrincipal(Trustee!);
            if (trustee is null) return;
        }

        var rows = new List<Output.RecipientPermission>();
        lock (Tenant.SyncRoot)
        {
            foreach (var mailbox in mailboxes)
            {
                var identity = MailboxIdentity(mailbox);
                rows.Add(new Output.RecipientPermission { Identity = identity, Trustee = TenantQueries.SelfTrustee });
                rows.AddRange(Tenant.RecipientPermissions
                    .Where(p => TenantQueries.IsSameMailbox(Tenant, p.Identity, mailbox))
                    .Select(p => new Output.RecipientPermission
                    {
                        Identity = identity, Trustee = p.Trustee, AccessControlType = p.AccessControlType,
                        AccessRights = p.AccessRights.ToArray(), IsInherited = p.IsInherited, InheritanceType = p.InheritanceType,
                    }));
            }
        }

        var trusteeDisplay = IncludeTrusteeWithPrimarySmtpAddress.IsPresent;
        foreach (var row in rows.Where(r => trustee is null || string.Equals(r.Trustee, trustee, StringComparison.OrdinalIgnoreCase)).Take(limit))
        {
            WriteObject(trusteeDisplay ? WithTrusteeAddress(row) : row);
        }
    }

    /// <summary>-IncludeTrusteeWithPrimarySmtpAddress shows a user trustee by its primary address.</summary>
    private Output.RecipientPermission WithTrusteeAddress(Output.RecipientPermission row)
    {
        var user = TenantQueries.FindMailbox(Tenant, row.Trustee);
        return user is null ? row : new Output.RecipientPermission
        {
            Identity = row.Identity, Trustee = user.PrimarySmtpAddress, AccessControlType = row.AccessControlType,
            AccessRights = row.AccessRights, IsInherited = row.IsInherited, InheritanceType = row.InheritanceType,
        };
    }
}
