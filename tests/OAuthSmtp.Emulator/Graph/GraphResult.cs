using System.Collections.Generic;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>What a Graph handler answers: a status and a JSON body (null for 204 No Content).</summary>
internal sealed record GraphResult(int Status, Dictionary<string, object?>? Body)
{
    public static GraphResult Ok(Dictionary<string, object?> body) => new(200, body);

    public static GraphResult Created(Dictionary<string, object?> body) => new(201, body);

    public static GraphResult NoContent() => new(204, null);
}
