using System;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// /me and the signed-in user's directory roles: GET /me/memberOf and /me/transitiveMemberOf, optionally cast to
/// /microsoft.graph.directoryRole (User.Read suffices for one's own memberships; learn.microsoft.com/graph/api/user-list-memberof).
/// Each directoryRole carries roleTemplateId, the id a token's wids lists. /me needs a delegated token.
/// </summary>
internal sealed partial class GraphSurface
{
    private GraphResult Me(GraphRequest request)
    {
        var caller = request.Caller;
        if (!caller.IsDelegated)
        {
            throw new GraphErrorException(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
        }

        if (!request.IsGet)
        {
            throw NotAllowed();
        }

        var user = caller.User ?? throw GraphErrorException.NotFound(caller.Token.ObjectId.ToString());
        caller.Require(GraphPermissions.ReadSelfScopes, Array.Empty<string>());
        var segments = request.Segments;
        if (segments.Length == 1)
        {
            return GraphResult.Ok(GraphResponses.Project(GraphResponses.Entity("users/$entity", UserEntity(user)), request.Select));
        }

        if (segments[1] is "memberOf" or "transitiveMemberOf" &&
            (segments.Length == 2 || (segments.Length == 3 && segments[2] == "microsoft.graph.directoryRole")))
        {
            var roles = user.DirectoryRoles.Where(r => r != DirectoryRoleTemplates.User).Select(DirectoryRole);
            var context = segments.Length == 3 ? "directoryRoles" : "directoryObjects";
            return GraphResult.Ok(GraphResponses.Project(GraphResponses.Collection(context, roles), request.Select));
        }

        throw GraphErrorException.UnknownSegment(segments[^1]);
    }
}
