using System.Runtime.CompilerServices;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// The emulator's CA is trusted only under a test-only HOME, set before any certificate store opens; the relay
/// processes these tests start inherit it, so the engine inside them validates the emulator's certificate with the
/// product's own chain and name checks.
/// </summary>
internal static class IsolatedHomeInitializer
{
    [ModuleInitializer]
    internal static void UseIsolatedHome() => TestEnvironment.UseIsolatedHome();
}
