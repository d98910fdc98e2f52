using System;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>The application roles RBAC for Applications offers, and how an assignment is shown.</summary>
internal static class RoleAssignments
{
    /// <summary>Exchange's built-in "Application …" roles (RBAC for Applications); SMTP supports only SMTP.SendAsApp.</summary>
    public static readonly string[] ApplicationRoles =
    {
        "Application Mail.Read", "Application Mail.ReadBasic", "Application Mail.ReadWrite", "Application Mail.Send",
        "Application MailboxSettings.Read", "Application MailboxSettings.ReadWrite", "Application Calendars.Read",
        "Application Calendars.ReadWrite", "Application Contacts.Read", "Application Contacts.ReadWrite",
        "Application Mail Full Access", "Application Exchange Full Access", "Application EWS.AccessAsApp",
        TenantQueries.SmtpSendAsAppRole,
    };

    public static string? CanonicalRole(string role) =>
        ApplicationRoles.FirstOrDefault(r => string.Equals(r, role.Trim(), StringComparison.OrdinalIgnoreCase));

    public static Output.RoleAssignment Show(TenantModel tenant, ManagementRoleAssignment assignment)
    {
        var sp = TenantQueries.FindServicePrincipal(tenant, assignment.App);
        return new Output.RoleAssignment
        {
            Identity = assignment.Name,
            Name = assignment.Name,
            Role = assignment.Role,
            RoleAssignee = assignment.App,
            RoleAssigneeName = sp is null ? assignment.App : (string.IsNullOrEmpty(sp.DisplayName) ? sp.ObjectId : sp.DisplayName),
            CustomResourceScope = assignment.CustomResourceScope,
            RecipientWriteScope = string.IsNullOrEmpty(assignment.CustomResourceScope) ? "Organization" : "CustomRecipientScope",
            Guid = assignment.Guid,
        };
    }
}
