using System;
using System.IO;

namespace OAuthSmtp.Emulator.PowerShell;

/// <summary>Paths of the emulator's module manifests in the build output (modules/ beside this assembly), for Import-Module.</summary>
public static class EmulatorModules
{
    private static string ModulesFolder => Path.Combine(Path.GetDirectoryName(typeof(EmulatorModules).Assembly.Location) ?? AppContext.BaseDirectory, "modules");

    /// <summary>OAuthSmtp.Emulator.Control: Reset-EmuTenant, Get-EmuTenant, Set-Emu*, Get-EmuDeliveredMessage, Get-EmuStatistics.</summary>
    public static string ControlModulePath => Path.Combine(ModulesFolder, "OAuthSmtp.Emulator.Control.psd1");

    /// <summary>OAuthSmtp.Emulator.Exchange: the Exchange Online admin cmdlets.</summary>
    public static string ExchangeModulePath => Path.Combine(ModulesFolder, "OAuthSmtp.Emulator.Exchange.psd1");

    /// <summary>OAuthSmtp.Emulator.Graph: Connect-MgGraph, Get-MgContext, Invoke-MgGraphRequest, Disconnect-MgGraph.</summary>
    public static string GraphModulePath => Path.Combine(ModulesFolder, "OAuthSmtp.Emulator.Graph.psd1");
}
