using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// One change -Fix can make, machine-readable (Kind and Parameters) and as the command line an admin would paste
/// (<see cref="CommandText"/>). <see cref="Target"/> and <see cref="Action"/> are what ShouldProcess shows. An Entra
/// change is a Graph call, shown as the Invoke-MgGraphRequest line that makes it, or the secret rotation
/// (Update-SmtpOAuthCredential).
/// </summary>
public sealed class SetupFixAction
{
    private readonly GraphRequest? _graphRequest;

    private SetupFixAction(
        SetupFixKind kind, string command, IReadOnlyList<KeyValuePair<string, object>> parameters, string target, string action, bool rbacRoute, string? provides = null, IReadOnlyList<string>? requires = null, GraphRequest? graphRequest = null)
    {
        _graphRequest = graphRequest;
        Kind = kind;
        Command = command;
        Parameters = parameters;
        Target = target;
        Action = action;
        IsRbacRoute = rbacRoute;
        Provides = provides;
        Requires = requires ?? Array.Empty<string>();
    }

    public SetupFixKind Kind { get; }

    /// <summary>The cmdlet name (New-ServicePrincipal, Add-MailboxPermission, …).</summary>
    public string Command { get; }

    /// <summary>The parameters in command-line order (a bool value is a [bool] argument, never a switch).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Parameters { get; }

    /// <summary>What the change is made to (ShouldProcess target).</summary>
    public string Target { get; }

    /// <summary>What the change does, in words (ShouldProcess action).</summary>
    public string Action { get; }

    /// <summary>Part of the RBAC for Applications route: -Fix makes it only when asked to (-UseRbac).</summary>
    public bool IsRbacRoute { get; }

    /// <summary>What this change creates that other changes may need (a service principal, a scope), as a key; null for none.</summary>
    public string? Provides { get; }

    /// <summary>
    /// The keys (<see cref="Provides"/>) of what this change needs: when the change that would create one was declined
    /// or failed, this one is not run (nor asked about): granting FullAccess to a service principal that was never
    /// registered can only fail.
    /// </summary>
    public IReadOnlyList<string> Requires { get; }

    /// <summary>This change, needing also what <paramref name="prerequisite"/> provides.</summary>
    public SetupFixAction After(SetupFixAction prerequisite) =>
        prerequisite?.Provides is null
            ? this
            : new SetupFixAction(Kind, Command, Parameters, Target, Action, IsRbacRoute, Provides, Requires.Concat(new[] { prerequisite.Provides }).ToList(), _graphRequest);

    /// <summary>Changes Entra ID (through the admin's Graph session), not Exchange Online.</summary>
    public bool ChangesEntra => Kind is SetupFixKind.GrantAdminConsent or SetupFixKind.AddSmtpPermission or SetupFixKind.NewEnterpriseApplication or SetupFixKind.RotateClientSecret;

    /// <summary>The Graph call an Entra change makes ("POST /v1.0/servicePrincipals/{id}/appRoleAssignedTo"); null for Exchange changes and the rotation.</summary>
    public string? GraphCall => _graphRequest?.ToString();

    /// <summary>The command line, ready to paste.</summary>
    public string CommandText => Command + string.Concat(Parameters.Select(p => " -" + p.Key + (IsSwitch(p.Key) ? ":" : " ") + Format(p.Value)));

    // -Confirm is a switch: a value must be attached with a colon (-Confirm:$false).
    private static bool IsSwitch(string name) => string.Equals(name, "Confirm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Makes the change through the session it needs (Exchange, Graph, or the rotation).</summary>
    /// <exception cref="Errors.OAuthSmtpException">The session refused, or is missing.</exception>
    public void Apply(SetupFixSessions sessions)
    {
        if (sessions is null)
        {
            throw new ArgumentNullException(nameof(sessions));
        }

        if (!ChangesEntra)
        {
            Apply(sessions.Exchange ?? throw Missing("Exchange Online", "Connect-ExchangeOnline -UserPrincipalName <admin address>"));
            return;
        }

        var graph = sessions.Graph ?? throw Missing("Microsoft Graph", GraphNotConnected.ConnectCommand);
        if (Kind == SetupFixKind.RotateClientSecret)
        {
            (sessions.RotateSecret ?? throw Missing("Microsoft Graph", GraphNotConnected.ConnectCommand))(graph);
            return;
        }

        graph.Send(_graphRequest!).EnsureSuccess(_graphRequest!);
    }

    private Errors.OAuthSmtpException Missing(string what, string connect) => new(
        Errors.ErrorIds.SetupFixFailed,
        Errors.ErrorKind.ResourceUnavailable,
        $"'{CommandText}' needs your {what} session, and none is connected.",
        $"{connect}; then run Test-SmtpOAuthSetup -Fix again.",
        Target);

    public void Apply(IExchangeAdmin admin)
    {
        if (admin is null)
        {
            throw new ArgumentNullException(nameof(admin));
        }

        switch (Kind)
        {
            case SetupFixKind.NewServicePrincipal:
                admin.NewServicePrincipal(Text("AppId"), Text("ObjectId"), Text("DisplayName"));
                break;
            case SetupFixKind.RemoveServicePrincipal:
                admin.RemoveServicePrincipal(Text("Identity"));
                break;
            case SetupFixKind.AddMailboxPermission:
                admin.AddMailboxPermission(Text("Identity"), Text("User"));
                break;
            case SetupFixKind.SetCasMailbox:
                admin.SetMailboxSmtpClientAuthenticationDisabled(Text("Identity"), (bool)Value("SmtpClientAuthenticationDisabled"));
                break;
            case SetupFixKind.AddRecipientPermission:
                admin.AddRecipientPermission(Text("Identity"), Text("Trustee"));
                break;
            case SetupFixKind.NewManagementScope:
                admin.NewManagementScope(Text("Name"), Text("RecipientRestrictionFilter"));
                break;
            case SetupFixKind.NewManagementRoleAssignment:
                admin.NewManagementRoleAssignment(Text("Name"), Text("Role"), Text("App"), Text("CustomResourceScope"));
                break;
            default:
                throw new InvalidOperationException("Unknown fix kind " + Kind + ".");
        }
    }

    public override string ToString() => CommandText;

    public static SetupFixAction NewServicePrincipal(string appId, string objectId, string displayName) => new(
        SetupFixKind.NewServicePrincipal,
        "New-ServicePrincipal",
        Params(("AppId", appId), ("ObjectId", objectId), ("DisplayName", displayName)),
        $"Exchange service principal for app {appId}",
        $"Register the app in Exchange Online with ObjectId {objectId} (the enterprise application's object id)",
        false,
        ServicePrincipalKey(objectId));

    public static SetupFixAction RemoveServicePrincipal(string identity, string why) => new(
        SetupFixKind.RemoveServicePrincipal,
        "Remove-ServicePrincipal",
        Params(("Identity", identity), ("Confirm", false)),
        $"Exchange service principal {identity}",
        "Remove the service principal " + why,
        false,
        "removed service principal " + identity);

    public static SetupFixAction AddMailboxPermission(string mailbox, string user) => new(
        SetupFixKind.AddMailboxPermission,
        "Add-MailboxPermission",
        Params(("Identity", mailbox), ("User", user), ("AccessRights", "FullAccess"), ("InheritanceType", "All")),
        mailbox,
        $"Grant FullAccess to {user}",
        false,
        requires: new[] { ServicePrincipalKey(user) });

    public static SetupFixAction EnableSmtpAuthForMailbox(string mailbox) => new(
        SetupFixKind.SetCasMailbox,
        "Set-CASMailbox",
        Params(("Identity", mailbox), ("SmtpClientAuthenticationDisabled", false)),
        mailbox,
        "Enable SMTP AUTH for this mailbox only (SmtpClientAuthenticationDisabled = $false)",
        false);

    public static SetupFixAction AddSendAs(string sender, string trustee) => new(
        SetupFixKind.AddRecipientPermission,
        "Add-RecipientPermission",
        Params(("Identity", sender), ("Trustee", trustee), ("AccessRights", "SendAs"), ("Confirm", false)),
        sender,
        $"Grant Send As to {trustee}",
        false,
        requires: new[] { ServicePrincipalKey(trustee) });

    public static SetupFixAction NewManagementScope(string name, string filter) => new(
        SetupFixKind.NewManagementScope,
        "New-ManagementScope",
        Params(("Name", name), ("RecipientRestrictionFilter", filter)),
        name,
        $"Create the management scope with the filter {filter}",
        true,
        ScopeKey(name));

    public static SetupFixAction NewManagementRoleAssignment(string name, string app, string scope) => new(
        SetupFixKind.NewManagementRoleAssignment,
        "New-ManagementRoleAssignment",
        Params(("Name", name), ("Role", ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole), ("App", app), ("CustomResourceScope", scope)),
        app,
        $"Assign the role '{ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole}' limited to the scope '{scope}'",
        true,
        requires: new[] { ServicePrincipalKey(app), ScopeKey(scope) });

    /// <summary>An Entra change: one Graph call, shown as the Invoke-MgGraphRequest line that makes it.</summary>
    public static SetupFixAction GraphChange(SetupFixKind kind, GraphRequest request, string target, string action, string? provides = null)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var parameters = new List<(string, object)> { ("Method", request.Method), ("Uri", request.RelativeUri) };
        if (request.Body is not null)
        {
            parameters.Add(("Body", request.Body));
        }

        return new SetupFixAction(kind, "Invoke-MgGraphRequest", Params(parameters.ToArray()), target, $"{action} ({request})", false, provides, graphRequest: request);
    }

    /// <summary>A new client secret for the profile's app, proven and stored in the profile (the rotation of Update-SmtpOAuthCredential).</summary>
    public static SetupFixAction RotateClientSecret(string profileName, string clientId, string expired) => new(
        SetupFixKind.RotateClientSecret,
        "Update-SmtpOAuthCredential",
        Params(("Profile", profileName)),
        $"app {clientId}",
        $"Add a new client secret (valid 365 days), prove it (token and SMTP AUTH, nothing sent) and store it in profile '{profileName}'; the expired {expired} stays in the app until you remove it",
        false,
        "new client secret for " + clientId.Trim().ToLowerInvariant());

    /// <summary>The key under which an Entra change provides something (the enterprise application, the permission).</summary>
    public static string EntraKey(string what) => "entra " + what.Trim().ToLowerInvariant();

    private static string ServicePrincipalKey(string objectId) => "service principal " + objectId.Trim().ToLowerInvariant();

    private static string ScopeKey(string name) => "management scope " + name.Trim().ToLowerInvariant();

    private string Text(string name) => Convert.ToString(Value(name), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private object Value(string name) => Parameters.First(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static IReadOnlyList<KeyValuePair<string, object>> Params(params (string Name, object Value)[] values) =>
        values.Select(v => new KeyValuePair<string, object>(v.Name, v.Value)).ToList();

    private static string Format(object value) => value switch
    {
        bool b when b => "$true",
        bool => "$false",
        string s when s.IndexOfAny(new[] { ' ', '\'', '"', '$', '(', '`' }) >= 0 => PowerShellText.SingleQuoted(s),
        _ => PowerShellText.Quote(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
