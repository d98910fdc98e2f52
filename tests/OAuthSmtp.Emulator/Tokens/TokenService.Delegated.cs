using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

// Shared by the delegated grants: the checks on the user and the consent, and the token response.
public sealed partial class TokenService
{
    /// <summary>
    /// Issues the delegated token set for a user: consent (65001), MFA registration (50079), conditional access (53003);
    /// access token with scp, refresh token when offline_access was asked, id token for openid, client_info when asked.
    /// MFA (50076) is judged only where no interactive sign-in happened (refresh).
    /// </summary>
    private Task IssueDelegated(HttpContext context, IFormCollection form, Tenant tenant, AppRegistration app, EntraServicePrincipal sp, Guid userObjectId, string scope, string appIdAcr, bool interactive)
    {
        EntraUser user;
        ScopeRequest request;
        lock (Model.SyncRoot)
        {
            request = ScopeRequest.ForDelegated(Model, scope, tenant.DisplayName);
            user = Model.Users.FirstOrDefault(u => u.ObjectId == userObjectId) ?? throw new AadErrorException(AadError.RefreshTokenInvalid());
        }

        if (!user.AccountEnabled)
        {
            throw new AadErrorException(AadError.UserAccountDisabled());
        }

        EnsureEnabled(app, sp);
        var granted = GrantedDelegatedScopes(sp, request);
        if (granted is null)
        {
            throw new AadErrorException(AadError.ConsentRequired(app.AppId.ToString(), app.DisplayName));
        }

        if (user.MfaRegistrationRequired)
        {
            throw new AadErrorException(AadError.MfaRegistrationRequired(request.Resource.Audience));
        }

        if (user.MfaRequired && !interactive)
        {
            throw new AadErrorException(AadError.MfaRequired(request.Resource.Audience));
        }

        EnsureConditionalAccessAllows(delegated: true);
        var (token, lifetime) = _issuer.UserToken(tenant, request.Resource, app, user, appIdAcr, granted);
        string? refreshToken = null;
        if (request.OfflineAccess)
        {
            refreshToken = NewOpaqueToken("1.AR");
            _refreshTokens[refreshToken] = new RefreshGrant(app.AppId, user.ObjectId, scope);
        }

        var idToken = request.OpenId ? _issuer.IdToken(tenant, app, user) : null;
        var clientInfo = form["client_info"].FirstOrDefault() == "1" ? TokenIssuer.ClientInfo(tenant, user) : null;
        return TokenSuccess(context, TokenIssuer.Response(token, lifetime, request.ResourceScopes, refreshToken, idToken, clientInfo));
    }

    /// <summary>The consented delegated permissions that cover the request, or null when consent is missing.</summary>
    private IReadOnlyList<string>? GrantedDelegatedScopes(EntraServicePrincipal sp, ScopeRequest request)
    {
        lock (Model.SyncRoot)
        {
            var consented = Model.DelegatedGrants
                .Where(g => g.ClientId == sp.ObjectId && g.ResourceId == request.Resource.ServicePrincipalId)
                .SelectMany(g => g.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(s => request.Resource.DelegatedScopes.Contains(s, StringComparer.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (request.IsDefault)
            {
                return consented.Count > 0 ? consented : null;
            }

            return request.Permissions.All(p => consented.Contains(p, StringComparer.OrdinalIgnoreCase)) ? request.Permissions : null;
        }
    }

    private static string NewOpaqueToken(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48));

    private Task RefreshToken(HttpContext context, Tenant tenant, string tenantSegment, IFormCollection form)
    {
        var (clientId, _) = ClientCredentialsFrom(context, form);
        var (app, sp) = FindClient(tenant, clientId);
        var presented = form["refresh_token"].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            throw new AadErrorException(AadError.MissingParameter("refresh_token"));
        }

        if (!_refreshTokens.TryGetValue(presented, out var grant) || grant.ClientId != app.AppId)
        {
            throw new AadErrorException(AadError.RefreshTokenInvalid());
        }

        var appIdAcr = AuthenticateClient(context, form, tenantSegment, tenant, app, publicClientAllowed: true);
        var scope = form["scope"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(scope))
        {
            scope = grant.Scope;
        }
        else if (!scope.Split(' ').Any(s => string.Equals(s, "offline_access", StringComparison.OrdinalIgnoreCase)))
        {
            // A refresh keeps the session going: Entra returns a new refresh token whenever the grant had one.
            scope += " offline_access";
        }

        _refreshTokens.TryRemove(presented, out _);
        return IssueDelegated(context, form, tenant, app, sp, grant.UserObjectId, scope, appIdAcr, interactive: false);
    }

    private Task AuthorizationCodeToken(HttpContext context, Tenant tenant, string tenantSegment, IFormCollection form)
    {
        var (clientId, _) = ClientCredentialsFrom(context, form);
        var (app, sp) = FindClient(tenant, clientId);
        var code = form["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(code))
        {
            throw new AadErrorException(AadError.MissingParameter("code"));
        }

        if (!_authorizationCodes.TryRemove(code, out var grant) || grant.ClientId != app.AppId)
        {
            throw new AadErrorException(_redeemedCodes.ContainsKey(code) ? AadError.AuthorizationCodeRedeemed() : AadError.AuthorizationCodeInvalid());
        }

        _redeemedCodes[code] = true;
        if (grant.ExpiresAt <= _emulator.Clock.UtcNow)
        {
            throw new AadErrorException(AadError.AuthorizationCodeInvalid());
        }

        var redirectUri = form["redirect_uri"].FirstOrDefault() ?? "";
        if (!string.Equals(redirectUri, grant.RedirectUri, StringComparison.Ordinal))
        {
            throw new AadErrorException(AadError.RedirectUriMismatch(redirectUri, app.AppId.ToString()));
        }

        if (grant.CodeChallenge is not null)
        {
            var verifier = form["code_verifier"].FirstOrDefault() ?? "";
            var computed = grant.CodeChallengeMethod == "S256"
                ? Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
                : verifier;
            if (!string.Equals(computed, grant.CodeChallenge, StringComparison.Ordinal))
            {
                throw new AadErrorException(AadError.CodeVerifierMismatch());
            }
        }

        var appIdAcr = AuthenticateClient(context, form, tenantSegment, tenant, app, publicClientAllowed: grant.CodeChallenge is not null);
        var scope = form["scope"].FirstOrDefault();
        return IssueDelegated(context, form, tenant, app, sp, grant.UserObjectId, string.IsNullOrWhiteSpace(scope) ? grant.Scope : scope, appIdAcr, interactive: true);
    }
}
