using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Relay;

namespace OAuthSmtp.Relay;

/// <summary>The last errors the relay met, newest last, for status.json (Get-SmtpOAuthRelay shows them).</summary>
internal sealed class RelayErrors
{
    private readonly Queue<RelayStatusError> _errors = new();

    public void Add(string message, string? errorId = null, string? target = null)
    {
        lock (_errors)
        {
            _errors.Enqueue(new RelayStatusError { Time = DateTimeOffset.UtcNow, ErrorId = errorId, Message = message, Target = target });
            while (_errors.Count > RelayStatus.MaxLastErrors)
            {
                _errors.Dequeue();
            }
        }
    }

    public List<RelayStatusError> Snapshot()
    {
        lock (_errors)
        {
            return _errors.ToList();
        }
    }
}
