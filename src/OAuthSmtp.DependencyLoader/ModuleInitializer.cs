using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace OAuthSmtp.DependencyLoader;

/// <summary>
/// Runs on import of this nested module, before PowerShell loads the cmdlet assembly (the root module), whose types
/// refer to engine types: enumerating them needs the engine resolvable already.
/// Keeps our MSAL/MailKit apart from other modules' copies. PowerShell 7: the engine loads into the
/// "OAuthSmtp" AssemblyLoadContext (OAuthSmtp.LoadContext.dll). Windows PowerShell 5.1 has no load contexts:
/// a resolve handler scoped to our dependencies/ folder loads with LoadFrom (never LoadFile), so strong-named
/// assemblies of another version load side by side and the same version is shared.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string LoadContextAssembly = "OAuthSmtp.LoadContext.dll";
    private const string BootstrapType = "OAuthSmtp.LoadContext.ModuleLoadContextBootstrap";

    private static readonly string ModuleDirectory =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

    private static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, "dependencies");

    private static bool IsCoreClr => Type.GetType("System.Runtime.Loader.AssemblyLoadContext") is not null;

    public void OnImport()
    {
        if (IsCoreClr)
        {
            InvokeBootstrap("Register", DependencyDirectory);
        }
        else
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveForWindowsPowerShell;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsCoreClr)
        {
            InvokeBootstrap("Unregister");
        }
        else
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveForWindowsPowerShell;
        }
    }

    private static void InvokeBootstrap(string method, params object[] arguments)
    {
        var assembly = Assembly.LoadFrom(Path.Combine(ModuleDirectory, LoadContextAssembly));
        var bootstrap = assembly.GetType(BootstrapType, throwOnError: true)!;
        bootstrap.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);
    }

    private static Assembly? ResolveForWindowsPowerShell(object? sender, ResolveEventArgs args)
    {
        // Answer only for our own assemblies and their dependencies, never for another module's loads.
        var requester = args.RequestingAssembly?.Location;
        if (requester is not null
            && !string.Equals(Path.GetDirectoryName(requester), DependencyDirectory, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Path.GetDirectoryName(requester), ModuleDirectory, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = new AssemblyName(args.Name).Name;
        var path = Path.Combine(DependencyDirectory, name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
