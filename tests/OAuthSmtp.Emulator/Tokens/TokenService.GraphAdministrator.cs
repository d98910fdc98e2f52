using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>A sign-in the token service refused: the message is Entra's "AADSTSn: text".</summary>
public sealed class SignInRefusedException : Exception
{
    public SignInRefusedException(int code, string message)
        : base($"AADSTS{code}: {message}")
    {
        Code = code;
    }

    /// <summary>The AADSTS number (65001 consent required, 50034 unknown user).</summary>
    public int Code { get; }
}

/// <summary>A Graph token as Connect-MgGraph obtains it: the administrator's (delegated; Scopes = scp) or an app's (UserPrincipalName empty; Scopes = roles).</summary>
public sealed record AdministratorGraphToken(string AccessToken, DateTimeOffset ExpiresOn, string UserPrincipalName, IReadOnlyList<string> Scopes);

public sealed partial class TokenService
{
    /// <summary>"Microsoft Graph Command Line Tools": the client Connect-MgGraph signs in with unless told -ClientId.</summary>
    public static readonly Guid GraphCommandLineToolsAppId = Guid.Parse("14d82eec-204b-4c2f-b7e8-296a70dab67e");

    /// <summary>
    /// Signs the administrator in to Microsoft Graph (no browser): the scopes asked for are consented first, then the
    /// token carries every scope consented for Graph Command Line Tools in scp (as Entra issues them) and the user's
    /// directory roles in wids (with the default User role). A scope that needs admin consent (the ".All" ones) can be
    /// consented only by a user holding a role that may consent (Global, Privileged Role, Application or Cloud
    /// Application Administrator); otherwise AADSTS65001 as the sign-in page's "Need admin approval" ends.
    /// </summary>
    /// <exception cref="SignInRefusedException">No administrator in this scenario (50034), or consent refused (65001).</exception>
    public AdministratorGraphToken SignInAdministratorToGraph(IEnumerable<string>? requestedScopes = null, string? userPrincipalName = null)
    {
        try
        {
            return SignInToGraph(requestedScopes, userPrincipalName);
        }
        catch (AadErrorException ex)
        {
            throw new SignInRefusedException(ex.Error.Code, ex.Error.Message);
        }
    }

    private AdministratorGraphToken SignInToGraph(IEnumerable<string>? requestedScopes, string? userPrincipalName)
    {
        var tenant = Model.Tenant;
        EntraUser user;
        string[] scopes;
        lock (Model.SyncRoot)
        {
            user = (userPrincipalName is null ? Model.Administrator : Model.Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, userPrincipalName, StringComparison.OrdinalIgnoreCase)))
                ?? throw new AadErrorException(AadError.UserNotFound(userPrincipalName ?? "(no administrator)", tenant.DisplayName));
            var wanted = (requestedScopes ?? Array.Empty<string>()).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            var missing = wanted.Where(s => !Model.AdministratorGraphScopes.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
            var canConsent = DirectoryRoleTemplates.ConsentExceptGraphAppRoles.Any(user.DirectoryRoles.Contains);
            if (missing.Any(RequiresAdminConsent) && !canConsent)
            {
                throw new AadErrorException(AadError.ConsentRequired(GraphCommandLineToolsAppId.ToString(), "Microsoft Graph Command Line Tools"));
            }

            foreach (var scope in missing)
            {
                var known = Model.GraphDelegatedScopes.Keys.FirstOrDefault(k => string.Equals(k, scope, StringComparison.OrdinalIgnoreCase)) ?? scope;
                Model.AdministratorGraphScopes.Add(known);
            }

            scopes = Model.AdministratorGraphScopes.Concat(new[] { "openid", "profile", "email" }).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        var resource = ResourceCatalog.Find(Model, ResourceCatalog.GraphAudience)!;
        var client = new AppRegistration { AppId = GraphCommandLineToolsAppId, DisplayName = "Microsoft Graph Command Line Tools" };
        var wids = user.DirectoryRoles.Append(DirectoryRoleTemplates.User).Distinct().ToList();
        var (token, lifetime) = _issuer.UserToken(tenant, resource, client, user, "0", scopes, wids);
        _emulator.Statistics.CountTokenIssued();
        return new AdministratorGraphToken(token, _emulator.Clock.UtcNow.AddSeconds(lifetime), user.UserPrincipalName, scopes);
    }

    /// <summary>
    /// An app-only Graph token as Connect-MgGraph -ClientSecretCredential / -CertificateThumbprint obtains it: the client
    /// must be known and replicated (700016), its secret valid (7000215, 7000222) or the certificate one of its keys
    /// (700027), its enterprise app enabled (7000112); roles = the Graph app roles consented to it.
    /// </summary>
    /// <exception cref="SignInRefusedException">The client could not sign in.</exception>
    public AdministratorGraphToken SignInApplicationToGraph(string clientId, string? secret, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        try
        {
            var tenant = Model.Tenant;
            var (app, sp) = FindClient(tenant, clientId);
            var now = _emulator.Clock.UtcNow;
            string appIdAcr;
            lock (Model.SyncRoot)
            {
                if (certificate is not null)
                {
                    var key = app.Certificates.FirstOrDefault(c => c.AvailableAt <= now && string.Equals(c.Thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase));
                    if (key is null || !certificate.HasPrivateKey)
                    {
                        throw new AadErrorException(AadError.AssertionKeyNotFound(certificate.Thumbprint, app.AppId.ToString()));
                    }

                    if (key.EndDateTime < now)
                    {
                        throw new AadErrorException(AadError.AssertionKeyExpired(certificate.Thumbprint));
                    }

                    appIdAcr = "2";
                }
                else
                {
                    var match = app.Secrets.FirstOrDefault(s => string.Equals(s.Value, secret, StringComparison.Ordinal) && s.AvailableAt <= now)
                        ?? throw new AadErrorException(AadError.InvalidClientSecret(app.AppId.ToString()));
                    if (match.EndDateTime <= now)
                    {
                        throw new AadErrorException(AadError.ExpiredClientSecret(app.AppId.ToString()));
                    }

                    appIdAcr = "1";
                }
            }

            EnsureEnabled(app, sp);
            var resource = ResourceCatalog.Find(Model, ResourceCatalog.GraphAudience)!;
            var roles = ConsentedRoles(sp.ObjectId, resource);
            var (token, lifetime) = _issuer.AppToken(tenant, resource, app.AppId, app.DisplayName, sp.ObjectId, appIdAcr, roles);
            _emulator.Statistics.CountTokenIssued();
            return new AdministratorGraphToken(token, now.AddSeconds(lifetime), "", roles.ToArray());
        }
        catch (AadErrorException ex)
        {
            throw new SignInRefusedException(ex.Error.Code, ex.Error.Message);
        }
    }

    /// <summary>Graph's ".All" delegated permissions (and Directory.AccessAsUser.All) need an administrator's consent.</summary>
    private static bool RequiresAdminConsent(string scope) =>
        scope.EndsWith(".All", StringComparison.OrdinalIgnoreCase) || scope.EndsWith(".Directory", StringComparison.OrdinalIgnoreCase);
}
