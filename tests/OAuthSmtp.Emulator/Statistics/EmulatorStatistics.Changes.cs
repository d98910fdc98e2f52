using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace OAuthSmtp.Emulator;

/// <summary>
/// Changes made to the tenant through Graph and through the Exchange admin cmdlets, so a test can prove that a run
/// (-WhatIf) changed nothing: GraphWrites counts every POST/PATCH/DELETE that Graph accepted, ExchangeChanges every
/// Exchange cmdlet call that changed the model; <see cref="GraphWriteLog"/> names the Graph ones.
/// </summary>
public sealed partial class EmulatorStatistics
{
    private readonly ConcurrentQueue<string> _graphWriteLog = new();
    private long _graphWrites;
    private long _exchangeChanges;

    public long GraphWrites => Interlocked.Read(ref _graphWrites);

    public long ExchangeChanges => Interlocked.Read(ref _exchangeChanges);

    /// <summary>"POST applications", "PATCH applications/{id}", … in the order Graph accepted them.</summary>
    public IReadOnlyCollection<string> GraphWriteLog => _graphWriteLog.ToArray();

    public void CountGraphWrite(string method, string path)
    {
        Interlocked.Increment(ref _graphWrites);
        _graphWriteLog.Enqueue(method + " " + path);
    }

    public void CountExchangeChange() => Interlocked.Increment(ref _exchangeChanges);

    partial void ResetChanges()
    {
        Interlocked.Exchange(ref _graphWrites, 0);
        Interlocked.Exchange(ref _exchangeChanges, 0);
        _graphWriteLog.Clear();
    }
}
