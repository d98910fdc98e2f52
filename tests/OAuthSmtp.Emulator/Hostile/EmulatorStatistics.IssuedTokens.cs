using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace OAuthSmtp.Emulator;

// Every token the emulator handed out, so a secrecy test can search what the client printed or wrote for the real
// tokens (access, refresh, id) rather than for a guess. Kept until ForgetIssuedTokens; bounded.
public sealed partial class EmulatorStatistics
{
    /// <summary>How many issued tokens are kept (oldest dropped first).</summary>
    public const int MaxIssuedTokens = 2_000;

    private readonly ConcurrentQueue<string> _issuedTokens = new();

    /// <summary>Access, refresh and id tokens from every successful token and managed-identity response, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens => _issuedTokens.ToArray();

    public void ForgetIssuedTokens() => _issuedTokens.Clear();

    /// <summary>Notes the tokens in a success body (JSON object with access_token / refresh_token / id_token).</summary>
    internal void RecordIssuedTokens(string responseBody)
    {
        try
        {
            using var document = JsonDocument.Parse(responseBody);
            foreach (var name in new[] { "access_token", "refresh_token", "id_token" })
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } token)
                {
                    _issuedTokens.Enqueue(token);
                }
            }
        }
        catch (JsonException)
        {
            return;
        }

        while (_issuedTokens.Count > MaxIssuedTokens && _issuedTokens.TryDequeue(out _))
        {
        }
    }
}
