using System.IO;
using OAuthSmtp.Engine.Relay;

namespace OAuthSmtp.PowerShell.Relay;

/// <summary>Where the module keeps the relay program: relay/ beside OAuthSmtp.PowerShell.dll in the module folder.</summary>
internal static class RelayModule
{
    public static string ModuleBase => Path.GetDirectoryName(typeof(RelayModule).Assembly.Location)!;

    public static RelayProgram LocateProgram() => RelayProgram.Locate(ModuleBase);
}
