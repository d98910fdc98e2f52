using System.Collections.Generic;
using System.Reflection;
using System.Threading;

namespace OAuthSmtp.Emulator;

/// <summary>
/// What happened, counted thread-safely (Get-EmuStatistics). Partial: the SMTP server adds its counters in
/// Smtp/EmulatorStatistics.Smtp.cs as public long properties and may implement <see cref="ResetSmtp"/>.
/// <see cref="Snapshot"/> reports every public long property, so new counters show up without further wiring.
/// </summary>
public sealed partial class EmulatorStatistics
{
    private long _tokenRequests;
    private long _tokensIssued;
    private long _tokenErrors;
    private long _managedIdentityRequests;
    private long _graphRequests;

    /// <summary>Every request that reached the token endpoint (including outage 503s and errors).</summary>
    public long TokenRequests => Interlocked.Read(ref _tokenRequests);

    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    public long TokenErrors => Interlocked.Read(ref _tokenErrors);

    public long ManagedIdentityRequests => Interlocked.Read(ref _managedIdentityRequests);

    public long GraphRequests => Interlocked.Read(ref _graphRequests);

    public void CountTokenRequest() => Interlocked.Increment(ref _tokenRequests);

    public void CountTokenIssued() => Interlocked.Increment(ref _tokensIssued);

    public void CountTokenError() => Interlocked.Increment(ref _tokenErrors);

    public void CountManagedIdentityRequest() => Interlocked.Increment(ref _managedIdentityRequests);

    public void CountGraphRequest() => Interlocked.Increment(ref _graphRequests);

    /// <summary>Every public counter by name, read now.</summary>
    public IReadOnlyDictionary<string, long> Snapshot()
    {
        var values = new SortedDictionary<string, long>(System.StringComparer.Ordinal);
        foreach (var property in typeof(EmulatorStatistics).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType == typeof(long) && property.GetIndexParameters().Length == 0)
            {
                values[property.Name] = (long)property.GetValue(this)!;
            }
        }

        return values;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _tokensIssued, 0);
        Interlocked.Exchange(ref _tokenErrors, 0);
        Interlocked.Exchange(ref _managedIdentityRequests, 0);
        Interlocked.Exchange(ref _graphRequests, 0);
        ResetSmtp();
        ResetChanges();
    }

    /// <summary>Implemented by the SMTP part to zero its own counters.</summary>
    partial void ResetSmtp();

    /// <summary>Implemented by the change counters (EmulatorStatistics.Changes.cs).</summary>
    partial void ResetChanges();
}
