using System;
using System.IO;
using System.Linq;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

/// <summary>A fact that needs systemd-analyze (Debian's systemd package); where it is not installed xunit reports it skipped, saying why.</summary>
public sealed class SystemdAnalyzeFactAttribute : FactAttribute
{
    public SystemdAnalyzeFactAttribute()
    {
        if (Program is null)
        {
            Skip = "systemd-analyze is not installed here (apt-get install systemd provides it); the unit's text is still checked by the other unit tests.";
        }
    }

    /// <summary>The systemd-analyze program, or null.</summary>
    public static string? Program { get; } = OperatingSystem.IsWindows()
        ? null
        : new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
}
