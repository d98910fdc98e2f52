using System.Collections.Generic;

namespace OAuthSmtp.Emulator;

/// <summary>Messages the SMTP server accepted, in order of acceptance. Thread-safe.</summary>
public sealed class DeliveredMessageStore
{
    private readonly object _gate = new();
    private readonly List<DeliveredMessage> _messages = new();

    public void Add(DeliveredMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }

    public IReadOnlyList<DeliveredMessage> All
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }
}
