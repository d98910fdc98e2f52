using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>The policy reads of EXCHANGE-FACTS §7: security defaults and conditional access (Policy.Read.All).</summary>
internal sealed partial class GraphSurface
{
    private GraphResult Policies(GraphRequest request)
    {
        if (!request.IsGet)
        {
            throw NotAllowed();
        }

        request.Caller.Require(GraphPermissions.ReadPoliciesScopes, GraphPermissions.ReadPoliciesRoles);
        if (request.Path == "policies/identitySecurityDefaultsEnforcementPolicy")
        {
            return GraphResult.Ok(GraphResponses.Project(SecurityDefaults(), request.Select));
        }

        if (request.Path == "identity/conditionalAccess/policies")
        {
            return GraphResult.Ok(GraphResponses.Project(GraphResponses.Collection("identity/conditionalAccess/policies", Model.ConditionalAccessPolicies.Select(ConditionalAccess)), request.Select));
        }

        throw GraphErrorException.UnknownSegment(request.Segments[^1]);
    }

    private Dictionary<string, object?> SecurityDefaults() => new()
    {
        ["@odata.context"] = GraphResponses.MetadataBase + "policies/identitySecurityDefaultsEnforcementPolicy/$entity",
        ["id"] = "00000000-0000-0000-0000-000000000005",
        ["displayName"] = "Security Defaults",
        ["description"] = "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.",
        ["isEnabled"] = Model.Tenant.SecurityDefaultsEnabled,
    };

    private static Dictionary<string, object?> ConditionalAccess(ConditionalAccessPolicy policy) => new()
    {
        ["id"] = policy.Id.ToString(),
        ["templateId"] = null,
        ["displayName"] = policy.DisplayName,
        ["createdDateTime"] = Iso(policy.CreatedDateTime),
        ["modifiedDateTime"] = null,
        ["state"] = policy.State,
        ["conditions"] = new Dictionary<string, object?>
        {
            ["clientAppTypes"] = new[] { "all" },
            ["applications"] = new Dictionary<string, object?> { ["includeApplications"] = new[] { "All" }, ["excludeApplications"] = System.Array.Empty<string>() },
            ["users"] = new Dictionary<string, object?> { ["includeUsers"] = new[] { "All" }, ["excludeUsers"] = System.Array.Empty<string>() },
            ["clientApplications"] = policy.IncludesServicePrincipals
                ? new Dictionary<string, object?> { ["includeServicePrincipals"] = new[] { "ServicePrincipalsInMyTenant" }, ["excludeServicePrincipals"] = System.Array.Empty<string>() }
                : null,
        },
        ["grantControls"] = new Dictionary<string, object?> { ["operator"] = "OR", ["builtInControls"] = new[] { policy.GrantControl } },
    };
}
