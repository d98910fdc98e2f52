using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Waits on the caller's thread while running the writes that callbacks on other threads post (a cmdlet may write to
/// its streams only from its pipeline thread: verbose lines, device codes). The task's completion wakes it at once.
/// </summary>
public sealed class PumpingSetupWaiter : ISetupWaiter
{
    private readonly BlockingCollection<Action> _writes = new();

    /// <summary>From any thread: the write runs on the waiting thread during the current or next wait.</summary>
    public void Post(Action write) => _writes.Add(write);

    public T Wait<T>(Task<T> task)
    {
        task.ContinueWith(_ => _writes.Add(() => { }), TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            _writes.Take()();
        }

        while (_writes.TryTake(out var write))
        {
            write();
        }

        return task.GetAwaiter().GetResult();
    }
}
