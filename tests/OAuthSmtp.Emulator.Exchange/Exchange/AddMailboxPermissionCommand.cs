using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.PowerShell.Exchange.Output;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Add-MailboxPermission. -User takes a service principal (ObjectId, AppId, DisplayName, Identity) or a mailbox user.
/// The grant reaches SMTP after the MailboxPermission propagation delay; Get-MailboxPermission shows it at once.
/// </summary>
[Cmdlet(VerbsCommon.Add, "MailboxPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "AccessRights")]
[OutputType(typeof(MailboxAcePresentationObject))]
public sealed class AddMailboxPermissionCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "AccessRights")]
    [ValidateSet("ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission", IgnoreCase = true)]
    public string[] AccessRights { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = "AccessRights")]
    [ValidateNotNullOrEmpty]
    public string User { get; set; } = "";

    [Parameter(ParameterSetName = "AccessRights")]
    public bool AutoMapping { get; set; } = true;

    [Parameter(ParameterSetName = "AccessRights")]
    public SwitchParameter Deny { get; set; }

    [Parameter(ParameterSetName = "AccessRights")]
    [ValidateSet("None", "All", "Children", "Descendents", "SelfAndChildren", IgnoreCase = true)]
    public string InheritanceType { get; set; } = "All";

    [Parameter]
    public SwitchParameter GroupMailbox { get; set; }

    protected override void ProcessRecord()
    {
        var mailbox = ResolveMailbox(Identity);
        if (mailbox is null) return;
        var trustee = ResolveSecurityPrincipal(User);
        if (trustee is null) return;
        var rights = AccessRights.Select(MailboxRights.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (!ShouldProcess(MailboxIdentity(mailbox), $"Add mailbox permission {{{string.Join(", ", rights)}}} for user {trustee}")) return;

        lock (Tenant.SyncRoot)
        {
            if (Tenant.MailboxPermissions.Count(p => TenantQueries.IsSameMailbox(Tenant, p.MailboxIdentity, mailbox)) >= 500)
            {
                // Exchange keeps at most 500 ACEs per mailbox (PS-DOCS).
                WriteError(ExchangeErrors.InvalidArgument(
                    "TooManyAccessControlEntries",
                    $"The mailbox '{MailboxIdentity(mailbox)}' already has 500 permission entries, the most Exchange allows. Remove unused entries with Remove-MailboxPermission first.",
                    Identity));
                return;
            }

            var entry = Tenant.MailboxPermissions.FirstOrDefault(p =>
                TenantQueries.IsSameMailbox(Tenant, p.MailboxIdentity, mailbox)
                && string.Equals(p.User, trustee, StringComparison.OrdinalIgnoreCase) && p.Deny == Deny.IsPresent);
            if (entry is null)
            {
                entry = new MailboxPermission
                {
                    MailboxIdentity = mailbox.PrimarySmtpAddress,
                    User = trustee,
                    Deny = Deny.IsPresent,
                    InheritanceType = CanonicalInheritance(InheritanceType),
                };
                Tenant.MailboxPermissions.Add(entry);
            }

            foreach (var right in rights.Where(r => !entry.AccessRights.Contains(r, StringComparer.OrdinalIgnoreCase)))
            {
                entry.AccessRights.Add(right);
            }

            entry.EffectiveAt = Tenant.EffectiveFromNow(ChangeKind.MailboxPermission);
            WriteObject(new MailboxAcePresentationObject
            {
                Identity = MailboxIdentity(mailbox),
                User = entry.User,
                AccessRights = rights,
                IsInherited = false,
                Deny = entry.Deny,
                InheritanceType = entry.InheritanceType,
            });
        }
    }

    private static string CanonicalInheritance(string value) =>
        new[] { "None", "All", "Children", "Descendents", "SelfAndChildren" }
            .First(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
}
