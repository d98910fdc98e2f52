using System.Runtime.CompilerServices;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Engine.Tests;

/// <summary>
/// .NET fixes where the CurrentUser certificate stores live (under HOME) the first time any test opens one, so the
/// test-only HOME that keeps the emulator's CA out of the real user's trust must be set before any test runs.
/// </summary>
internal static class IsolatedHomeInitializer
{
    [ModuleInitializer]
    internal static void UseIsolatedHome() => TestEnvironment.UseIsolatedHome();
}
