using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// Reads the signed-in admin's active directory roles through Graph (GET /me/transitiveMemberOf/microsoft.graph.directoryRole,
/// which includes roles held through a role-assignable group; GET /me/memberOf/… as the fallback). Needs no more than
/// the User.Read scope every Graph sign-in has. Null when Graph does not answer: the roles are then unknown, and a
/// missing role shows up as Graph's own refusal instead of in the check before any change.
/// </summary>
public static class DirectoryRoleReader
{
    private static readonly string[] Paths =
    {
        "me/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId",
        "me/memberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId",
    };

    public static IReadOnlyList<string>? ReadOwnRoles(Func<GraphRequest, GraphResponse> send)
    {
        if (send is null)
        {
            throw new ArgumentNullException(nameof(send));
        }

        foreach (var path in Paths)
        {
            GraphResponse response;
            try
            {
                response = send(GraphRequest.Get(path));
            }
            catch (Errors.OAuthSmtpException)
            {
                continue;
            }

            if (!response.IsSuccess)
            {
                continue;
            }

            try
            {
                using var document = response.Json();
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("value", out var value)
                    && value.ValueKind == JsonValueKind.Array)
                {
                    return value.EnumerateArray().Select(TemplateIdOf).Where(id => id is not null).Select(id => id!).ToList();
                }
            }
            catch (JsonException)
            {
            }
        }

        return null;
    }

    /// <summary>A directoryRole's roleTemplateId, or the template id of a known role named by displayName.</summary>
    private static string? TemplateIdOf(JsonElement role)
    {
        if (role.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (role.TryGetProperty("roleTemplateId", out var id) && id.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(id.GetString()))
        {
            return id.GetString();
        }

        if (role.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String)
        {
            var known = new[]
            {
                DirectoryRoles.GlobalAdministrator, DirectoryRoles.PrivilegedRoleAdministrator, DirectoryRoles.ApplicationAdministrator,
                DirectoryRoles.CloudApplicationAdministrator, DirectoryRoles.ApplicationDeveloper,
            };
            return known.FirstOrDefault(k => string.Equals(DirectoryRoles.NameOf(k), name.GetString(), StringComparison.OrdinalIgnoreCase));
        }

        return null;
    }
}
