using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// Before anything changes: do the admin's sessions exist and carry the Graph scopes, directory roles and Exchange
/// commands each step of this request needs? Everything missing is named in ONE error (ProvisioningPermissionsMissing),
/// with the sign-in that supplies it. Sources: Microsoft Graph permissions of each call (create application and
/// servicePrincipal: Application.ReadWrite.All; appRoleAssignedTo: AppRoleAssignment.ReadWrite.All;
/// oauth2PermissionGrants: DelegatedPermissionGrant.ReadWrite.All) and <see cref="DirectoryRoles"/> for who may consent.
/// </summary>
public static class ProvisioningRequirements
{
    public const string ApplicationReadWriteAll = "Application.ReadWrite.All";
    public const string ApplicationReadAll = "Application.Read.All";
    public const string AppRoleAssignmentReadWriteAll = "AppRoleAssignment.ReadWrite.All";
    public const string DelegatedPermissionGrantReadWriteAll = "DelegatedPermissionGrant.ReadWrite.All";

    /// <summary>Broader permissions that include a narrower one.</summary>
    private static readonly Dictionary<string, string[]> AlsoGrantedBy = new(StringComparer.OrdinalIgnoreCase)
    {
        [ApplicationReadAll] = new[] { ApplicationReadWriteAll, "Directory.Read.All", "Directory.ReadWrite.All" },
    };

    /// <summary>The Graph permissions the request needs (delegated scopes, or app roles for an app-only sign-in).</summary>
    public static IReadOnlyList<string> GraphPermissionsFor(ProvisioningRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var needed = new List<string> { request.IsManagedIdentity ? ApplicationReadAll : ApplicationReadWriteAll };
        if (request.Delegated)
        {
            needed.Add(DelegatedPermissionGrantReadWriteAll);
        }
        else if (request.Route == SmtpAccessRoute.Classic)
        {
            needed.Add(AppRoleAssignmentReadWriteAll);
        }

        return needed;
    }

    /// <summary>The directory roles of which the admin needs one (empty: none needed).</summary>
    public static IReadOnlyList<string> DirectoryRolesFor(ProvisioningRequest request) =>
        request.Delegated || request.Route == SmtpAccessRoute.Classic
            ? DirectoryRoles.MayConsentToExchangePermissions
            : Array.Empty<string>();

    /// <summary>The Exchange commands the request runs (each missing one means the admin's Exchange role lacks it).</summary>
    public static IReadOnlyList<string> ExchangeCommandsFor(ProvisioningRequest request)
    {
        var commands = new List<string> { "Get-EXOMailbox", "Set-CASMailbox" };
        if (!request.Delegated)
        {
            commands.Add("Get-ServicePrincipal");
            commands.Add("New-ServicePrincipal");
            if (request.Route == SmtpAccessRoute.Classic)
            {
                commands.Add("Add-MailboxPermission");
            }
            else
            {
                commands.AddRange(new[] { "Test-ServicePrincipalAuthorization", "New-ManagementScope", "New-ManagementRoleAssignment" });
            }
        }

        if (request.From.Count > 0)
        {
            commands.Add("Add-RecipientPermission");
        }

        return commands;
    }

    /// <param name="request">What is to be set up.</param>
    /// <param name="graph">The Graph session, or null when there is none (<paramref name="graphWhyNot"/> says why).</param>
    /// <param name="exchangeHasCommand">Whether the Exchange session has a command; null when there is no Exchange session.</param>
    /// <param name="secretStorageAvailable">DPAPI, or an owner-only file allowed by the request, can keep a secret.</param>
    /// <param name="warning">Told what cannot be checked (roles the session does not reveal).</param>
    /// <exception cref="OAuthSmtpException">ProvisioningPermissionsMissing, naming everything that is missing.</exception>
    public static void Require(
        ProvisioningRequest request,
        GraphAdminSession? graph,
        string? graphWhyNot,
        Func<string, bool>? exchangeHasCommand,
        string? exchangeWhyNot,
        bool secretStorageAvailable,
        Action<string>? warning = null)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var missing = new List<string>();
        var fixes = new List<string>();

        if (graph is null)
        {
            missing.Add($"a Microsoft Graph session ({graphWhyNot ?? "none is connected"})");
        }
        else
        {
            var scopes = GraphPermissionsFor(request).Where(p => !Holds(graph, p)).ToList();
            if (scopes.Count > 0)
            {
                missing.Add(graph.IsAppOnly
                    ? $"the Graph application permission(s) {string.Join(", ", scopes)} for the app {graph.Account} of {graph.Source}"
                    : $"the Graph scope(s) {string.Join(", ", scopes)} in {graph.Source}");
            }

            var roles = DirectoryRolesFor(request);
            if (!graph.IsAppOnly && roles.Count > 0)
            {
                var holds = graph.HasAnyDirectoryRole(roles);
                if (holds == false)
                {
                    missing.Add($"the directory role {DirectoryRoles.Describe(roles)} for {graph.Account ?? "the signed-in admin"} (granting admin consent to Office 365 Exchange Online's {(request.Delegated ? "SMTP.Send" : "SMTP.SendAsApp")} needs one of them)");
                }
                else if (holds is null)
                {
                    warning?.Invoke($"Your directory roles could not be read; granting admin consent needs {DirectoryRoles.Describe(roles)}. If a step is refused with Authorization_RequestDenied, activate one of them and run the command again.");
                }
            }

            if (scopes.Count > 0)
            {
                fixes.Add(graph.IsAppOnly
                    ? $"grant the app the Microsoft Graph application permission(s) {string.Join(", ", scopes)} with admin consent"
                    : $"Connect-MgGraph -Scopes {string.Join(",", GraphPermissionsFor(request))},User.Read (User.Read lets the check read your directory roles)");
            }
        }

        if (graph is null)
        {
            fixes.Add($"Connect-MgGraph -Scopes {string.Join(",", GraphPermissionsFor(request))},User.Read (User.Read lets the check read your directory roles)");
        }

        if (exchangeHasCommand is null)
        {
            missing.Add($"an Exchange Online session ({exchangeWhyNot ?? "none is connected"})");
            fixes.Add("Connect-ExchangeOnline -UserPrincipalName <admin address>");
        }
        else
        {
            var commands = ExchangeCommandsFor(request).Where(c => !exchangeHasCommand(c) && !(c == "Get-EXOMailbox" && exchangeHasCommand("Get-Mailbox"))).ToList();
            if (commands.Count > 0)
            {
                missing.Add($"the Exchange command(s) {string.Join(", ", commands)} in your Exchange Online session (your Exchange role group lacks them: Organization Management has them all; New-ServicePrincipal and New-ManagementRoleAssignment need Role Management)");
                fixes.Add("sign in to Exchange Online as a member of Organization Management");
            }
        }

        if (!secretStorageAvailable && NeedsStoredSecret(request))
        {
            missing.Add(request.CredentialType == ProvisioningCredentialType.Certificate
                ? "a place to keep the certificate's .pfx password (no DPAPI on this system)"
                : "a place to keep the client secret (no DPAPI on this system)");
            fixes.Add("add -AllowUnprotectedSecret to keep it in a file only your account can read");
        }

        if (missing.Count == 0)
        {
            return;
        }

        throw new OAuthSmtpException(
            ErrorIds.ProvisioningPermissionsMissing,
            ErrorKind.PermissionDenied,
            "Nothing was changed. Initialize-SmtpOAuthSetup needs " + Join(missing) + ".",
            string.Join("; then ", fixes.Distinct()) + "; then run Initialize-SmtpOAuthSetup again.",
            request.ProfileName);
    }

    /// <summary>Whether the credential leaves a secret (client secret, .pfx password) to store in the profile.</summary>
    public static bool NeedsStoredSecret(ProvisioningRequest request) =>
        request.CredentialType == ProvisioningCredentialType.Secret
        || (request.CredentialType == ProvisioningCredentialType.Certificate && !request.UseCertificateStore && !request.Delegated);

    private static bool Holds(GraphAdminSession session, string permission) =>
        session.HasPermission(permission)
        || (AlsoGrantedBy.TryGetValue(permission, out var broader) && broader.Any(session.HasPermission));

    private static string Join(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
}
