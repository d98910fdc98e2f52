using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

public sealed partial class TokenService
{
    /// <summary>
    /// grant_type=client_credentials. Order of checks: a tenant-specific authority (50059), client known (700016), scope shape (1002012, 70011), client
    /// credential (7000215, 7000222, 700027, 7000218), resource (500011), enterprise app enabled (7000112), conditional
    /// access (53003). No consent is no error: the token comes without roles (EXCHANGE-FACTS §5b, last paragraph).
    /// </summary>
    private Task ClientCredentials(HttpContext context, Tenant tenant, string tenantSegment, IFormCollection form)
    {
        // App-only tokens need a tenant-specific authority: /common and /organizations name no tenant (AADSTS50059).
        if (string.Equals(tenantSegment, "common", System.StringComparison.OrdinalIgnoreCase) || string.Equals(tenantSegment, "organizations", System.StringComparison.OrdinalIgnoreCase))
        {
            throw new AadErrorException(AadError.NoTenantIdentifyingInformation());
        }

        var (clientId, _) = ClientCredentialsFrom(context, form);
        var (app, sp) = FindClient(tenant, clientId);
        var scope = form["scope"].ToString();
        if (string.IsNullOrWhiteSpace(scope))
        {
            throw new AadErrorException(AadError.MissingParameter("scope"));
        }

        ScopeRequest? request = null;
        AadErrorException? resourceError = null;
        try
        {
            lock (Model.SyncRoot)
            {
                request = ScopeRequest.ForClientCredentials(Model, scope, tenant.DisplayName);
            }
        }
        catch (AadErrorException ex) when (ex.Error.Code == 500011)
        {
            // Entra authenticates the client before it looks the resource up.
            resourceError = ex;
        }

        var appIdAcr = AuthenticateClient(context, form, tenantSegment, tenant, app, publicClientAllowed: false);
        if (resourceError is not null)
        {
            throw resourceError;
        }

        EnsureEnabled(app, sp);
        EnsureConditionalAccessAllows(delegated: false);
        var roles = ConsentedRoles(sp.ObjectId, request!.Resource);
        var (token, lifetime) = _issuer.AppToken(tenant, request.Resource, app.AppId, app.DisplayName, sp.ObjectId, appIdAcr, roles);
        return TokenSuccess(context, TokenIssuer.Response(token, lifetime));
    }
}
