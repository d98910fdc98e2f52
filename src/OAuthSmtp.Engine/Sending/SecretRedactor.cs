using System;
using System.Collections.Generic;
using System.Text;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Removes the session's secrets from text that came from the server: a server that echoes the token or the XOAUTH2
/// string (base64 of "user=…^Aauth=Bearer …^A^A") must not put it into ServerReply, an error record or the protocol
/// log. Each JWT segment is removed on its own too, so a reply that quotes only part of the token leaks nothing usable.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>Shorter pieces could match ordinary text; a JWT's header, payload and signature are all far longer.</summary>
    private const int MinimumPiece = 16;

    private readonly List<string> _secrets = new();

    /// <summary>Adds the token and its XOAUTH2 string for <paramref name="user"/>; earlier tokens of the session stay.</summary>
    public void Add(string token, string user)
    {
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        lock (_secrets)
        {
            AddPiece(Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001")));
            AddPiece(token);
            foreach (var segment in token.Split('.'))
            {
                AddPiece(segment);
            }

            // Longest first, so the whole token is replaced before its segments.
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>The text without any secret, or the same instance when it held none.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        lock (_secrets)
        {
            var result = text;
            foreach (var secret in _secrets)
            {
                if (result.IndexOf(secret, StringComparison.Ordinal) >= 0)
                {
                    result = result.Replace(secret, Mask);
                }
            }

            return result;
        }
    }

    private void AddPiece(string piece)
    {
        if (piece.Length >= MinimumPiece && !_secrets.Contains(piece))
        {
            _secrets.Add(piece);
        }
    }
}
