using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.Loader;

namespace OAuthSmtp.Emulator.PowerShell.Rehearsal;

/// <summary>
/// pwsh runs on the .NET runtime alone, while the emulator's HTTPS endpoints need Kestrel from the ASP.NET Core shared
/// framework that the .NET SDK installs beside it. On import of the module this answers the default context's
/// requests for those assemblies (and for the emulator's own, beside this one) from there. In a host that has the
/// framework already (tests, sandbox) nothing is ever asked.
/// </summary>
public sealed class AspNetCoreFrameworkResolver : IModuleAssemblyInitializer
{
    private static int _registered;

    public void OnImport()
    {
        if (System.Threading.Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        var moduleFolder = Path.GetDirectoryName(typeof(AspNetCoreFrameworkResolver).Assembly.Location)!;
        var framework = FindAspNetCoreFramework();
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            foreach (var folder in new[] { moduleFolder, framework })
            {
                var candidate = folder is null ? null : Path.Combine(folder, name.Name + ".dll");
                if (candidate is not null && File.Exists(candidate))
                {
                    return context.LoadFromAssemblyPath(candidate);
                }
            }

            return null;
        };
    }

    /// <summary>shared/Microsoft.AspNetCore.App/&lt;the running runtime's major.minor, newest patch&gt;, or null.</summary>
    private static string? FindAspNetCoreFramework()
    {
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var shared = runtimeFolder is null ? null : Path.GetDirectoryName(Path.GetDirectoryName(runtimeFolder));
        var aspNetCore = shared is null ? null : Path.Combine(shared, "Microsoft.AspNetCore.App");
        if (aspNetCore is null || !Directory.Exists(aspNetCore))
        {
            return null;
        }

        var runtime = Environment.Version;
        return Directory.GetDirectories(aspNetCore)
            .Select(path => (Path: path, Version: Version.TryParse(Path.GetFileName(path).Split('-')[0], out var v) ? v : null))
            .Where(folder => folder.Version is not null && folder.Version.Major == runtime.Major && folder.Version.Minor == runtime.Minor)
            .OrderByDescending(folder => folder.Version)
            .Select(folder => folder.Path)
            .FirstOrDefault();
    }
}
