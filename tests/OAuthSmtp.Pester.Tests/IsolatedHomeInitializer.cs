using System.Runtime.CompilerServices;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Pester.Tests;

/// <summary>
/// Every pwsh this project starts inherits a HOME of this run (its certificate stores, PowerShell's caches), removed
/// when the run ends: the Pester suite never touches the real user's home, and runs side by side never share one.
/// </summary>
internal static class IsolatedHomeInitializer
{
    [ModuleInitializer]
    internal static void UseIsolatedHome() => TestEnvironment.UseIsolatedHome();
}
