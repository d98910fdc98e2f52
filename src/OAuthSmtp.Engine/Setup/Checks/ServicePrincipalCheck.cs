using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// Exchange knows the app: a service principal registered with New-ServicePrincipal whose ObjectId is the token's
/// oid. The classic mistake, registering the app registration's object id, is named as such with both ids.
/// </summary>
public sealed class ServicePrincipalCheck : ExchangeCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Token };

    public override SetupStep Step => SetupStep.ServicePrincipal;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Looking for the app's Exchange service principal (Get-ServicePrincipal)";

    protected override SetupCheckResult Run(SetupContext context, IExchangeAdmin exchange)
    {
        if (context.IsDelegated)
        {
            return Pass("Not needed: a delegated profile authenticates as the signed-in user, not as an app.");
        }

        var oid = context.ObjectId;
        if (string.IsNullOrEmpty(oid))
        {
            return Skipped("Not checked: the token names no object id (oid).");
        }

        var principals = exchange.GetServicePrincipals();
        var exact = principals.FirstOrDefault(sp => Same(sp.ObjectId, oid));
        if (exact is not null)
        {
            context.ServicePrincipal = exact;
            return Pass($"Exchange service principal '{exact.DisplayName}' (AppId {exact.AppId}) has ObjectId {exact.ObjectId}, the token's oid.");
        }

        var clientId = context.ClientId;
        var displayName = context.Application?.DisplayName is { Length: > 0 } name ? name : $"SMTP app {clientId}";
        var create = SetupFixAction.NewServicePrincipal(clientId, oid!, displayName);
        var sameApp = principals.Where(sp => Same(sp.AppId, clientId)).ToList();
        if (sameApp.Count > 0)
        {
            var wrong = sameApp[0];
            var appObjectId = context.Application?.ObjectId;
            var isAppRegistrationId = appObjectId is not null && Same(wrong.ObjectId, appObjectId);
            var named = isAppRegistrationId
                ? $"{wrong.ObjectId} is the app registration's object id (Entra ID > App registrations > Object ID), the classic mistake"
                : $"{wrong.ObjectId} is not the enterprise application's object id (most often it is the app registration's object id, the classic mistake)";
            // The new registration needs the wrong one gone (one service principal per AppId).
            var removals = sameApp.Select(sp => SetupFixAction.RemoveServicePrincipal(sp.Identity.Length > 0 ? sp.Identity : sp.ObjectId, $"registered with the wrong ObjectId {sp.ObjectId}")).ToList();
            var actions = removals.Concat(new[] { removals.Aggregate(create, (action, removal) => action.After(removal)) }).ToList();
            return Fail(
                $"Exchange service principal '{wrong.DisplayName}' for AppId {clientId} has ObjectId {wrong.ObjectId}, but the token's oid is {oid}: {named}.",
                $"Exchange finds the app by the token's oid, which is the enterprise application's (service principal's) object id, {oid}. With any other ObjectId the lookup fails and SMTP answers 535 5.7.3. An ObjectId cannot be changed: remove the service principal and register it again.",
                null,
                SetupDocumentation.RegisterServicePrincipal,
                ErrorIds.SetupServicePrincipalWrongObjectId,
                actions);
        }

        return Fail(
            $"Exchange has no service principal for AppId {clientId} (ObjectId {oid}).",
            "Entra ID issues the token, but Exchange Online only accepts apps registered in Exchange with New-ServicePrincipal; without it SMTP answers 535 5.7.3.",
            null,
            SetupDocumentation.RegisterServicePrincipal,
            ErrorIds.SetupServicePrincipalMissing,
            new[] { create });
    }

    private static bool Same(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && !string.IsNullOrWhiteSpace(b) && string.Equals(a!.Trim(), b!.Trim(), StringComparison.OrdinalIgnoreCase);
}
