using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Add-RecipientPermission -AccessRights SendAs (the only value). Prompts by default, which is why the docs pass
/// -Confirm:$false. A service principal is accepted as Trustee (unconfirmed in the docs; OAUTH-DOC tells app senders to use it).
/// </summary>
[Cmdlet(VerbsCommon.Add, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Output.RecipientPermission))]
public sealed class AddRecipientPermissionCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateSet("SendAs", IgnoreCase = true)]
    public string[] AccessRights { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Trustee { get; set; } = "";

    protected override void ProcessRecord()
    {
        var mailbox = ResolveMailbox(Identity);
        if (mailbox is null) return;
        var trustee = ResolveSecurityPrincipal(Trustee);
        if (trustee is null) return;
        if (!ShouldProcess(MailboxIdentity(mailbox), $"Add recipient permission 'SendAs' for '{trustee}'")) return;

        lock (Tenant.SyncRoot)
        {
            var entry = Tenant.RecipientPermissions.FirstOrDefault(p =>
                TenantQueries.IsSameMailbox(Tenant, p.Identity, mailbox) && string.Equals(p.Trustee, trustee, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                entry = new RecipientPermission { Identity = mailbox.PrimarySmtpAddress, Trustee = trustee };
                Tenant.RecipientPermissions.Add(entry);
            }

            entry.EffectiveAt = Tenant.EffectiveFromNow(ChangeKind.RecipientPermission);
            WriteObject(new Output.RecipientPermission { Identity = MailboxIdentity(mailbox), Trustee = trustee });
        }
    }
}
