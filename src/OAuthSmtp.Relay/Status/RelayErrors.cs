using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Relay;

/// <summary>The last errors the relay met, newest last, for status.json (Get-SmtpOAuthRelay shows them).</summary>
internal sealed class RelayErrors
{
    private const int Kept = 10;
    private readonly Queue<RelayError> _errors = new();

    public void Add(string text)
    {
        lock (_errors)
        {
            _errors.Enqueue(new RelayError(DateTimeOffset.UtcNow, text));
            while (_errors.Count > Kept)
            {
                _errors.Dequeue();
            }
        }
    }

    public IReadOnlyList<RelayError> Snapshot()
    {
        lock (_errors)
        {
            return _errors.ToList();
        }
    }
}

internal sealed record RelayError(DateTimeOffset Time, string Text);
