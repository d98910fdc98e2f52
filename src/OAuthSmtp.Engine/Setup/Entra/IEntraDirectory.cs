using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// What the doctor reads from Entra ID through Microsoft Graph (EXCHANGE-FACTS section 7). Each call returns null
/// when Graph refuses it (the app lacks Application.Read.All or Policy.Read.All): the checks then rely on the token alone.
/// </summary>
public interface IEntraDirectory
{
    /// <summary>The app registration (GET /applications?$filter=appId eq '…').</summary>
    Task<EntraApplicationRecord?> GetApplicationAsync(string appId, CancellationToken cancellationToken);

    /// <summary>The enterprise application (GET /servicePrincipals?$filter=appId eq '…').</summary>
    Task<EntraServicePrincipalRecord?> GetServicePrincipalAsync(string appId, CancellationToken cancellationToken);

    /// <summary>GET /policies/identitySecurityDefaultsEnforcementPolicy: isEnabled.</summary>
    Task<bool?> GetSecurityDefaultsEnabledAsync(CancellationToken cancellationToken);

    /// <summary>GET /identity/conditionalAccess/policies: the enabled ones.</summary>
    Task<IReadOnlyList<string>?> GetEnabledConditionalAccessPolicyNamesAsync(CancellationToken cancellationToken);
}
