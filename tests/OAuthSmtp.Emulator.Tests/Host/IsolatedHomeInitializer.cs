using System.Runtime.CompilerServices;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Emulator.Tests.Host;

internal static class IsolatedHomeInitializer
{
    /// <summary>Before any test opens an X509Store: the emulator CA goes into a test-only home, never the real user's.</summary>
    [ModuleInitializer]
    internal static void Initialize() => TestEnvironment.UseIsolatedHome();
}
