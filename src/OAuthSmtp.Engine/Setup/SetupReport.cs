using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Setup;

/// <summary>The results of one run of the doctor, in check order.</summary>
public sealed class SetupReport
{
    public SetupReport(IReadOnlyList<SetupCheckResult> results)
    {
        Results = results ?? throw new ArgumentNullException(nameof(results));
    }

    public IReadOnlyList<SetupCheckResult> Results { get; }

    /// <summary>No check failed (warnings and skipped checks do not count against it).</summary>
    public bool Succeeded => Results.All(r => r.Status != SetupCheckStatus.Fail);

    /// <summary>Failures that are only waiting for Exchange to apply changes.</summary>
    public IReadOnlyList<SetupCheckResult> Pending => Results.Where(r => r.IsPending).ToList();

    /// <summary>The first failed step, which is the one to fix first.</summary>
    public SetupCheckResult? FirstFailure => Results.FirstOrDefault(r => r.Status == SetupCheckStatus.Fail);

    /// <summary>
    /// The Exchange-side changes that would fix the failures, in check order, without duplicates. The RBAC route's
    /// commands are included only when <paramref name="includeRbac"/> (-UseRbac) says so.
    /// </summary>
    public IReadOnlyList<SetupFixAction> FixActions(bool includeRbac)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return Results
            .Where(r => r.Status is SetupCheckStatus.Fail or SetupCheckStatus.Skipped)
            .SelectMany(r => r.FixActions)
            .Where(a => includeRbac || !a.IsRbacRoute)
            .Where(a => seen.Add(a.CommandText))
            .ToList();
    }
}
