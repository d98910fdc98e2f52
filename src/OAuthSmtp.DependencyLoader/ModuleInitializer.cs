using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace OAuthSmtp.DependencyLoader;

/// <summary>
/// Runs on import of this nested module, before PowerShell loads the cmdlet assembly (the root module), whose types
/// refer to engine types: enumerating them needs the engine resolvable already.
/// Keeps our MSAL/MailKit apart from other modules' copies. PowerShell 7: the engine loads into the
/// "OAuthSmtp" AssemblyLoadContext (OAuthSmtp.LoadContext.dll). Windows PowerShell 5.1 has no load contexts:
/// a resolve handler loads our dependencies/ with LoadFrom (never LoadFile) only where
/// <see cref="DependencyResolutionPolicy"/> says the request is ours, so strong-named assemblies of another version
/// load side by side and the same version is shared.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string LoadContextAssembly = "OAuthSmtp.LoadContext.dll";
    private const string BootstrapType = "OAuthSmtp.LoadContext.ModuleLoadContextBootstrap";

    private static readonly string ModuleDirectory =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

    private static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, "dependencies");

    // Read on import, before the first request: the folder's assemblies and their identities.
    private static DependencyResolutionPolicy? _windowsPowerShellPolicy;

    private static bool IsCoreClr => Type.GetType("System.Runtime.Loader.AssemblyLoadContext") is not null;

    public void OnImport()
    {
        if (IsCoreClr)
        {
            InvokeBootstrap("Register", DependencyDirectory);
        }
        else
        {
            _windowsPowerShellPolicy ??= DependencyResolutionPolicy.ForFolder(DependencyDirectory, ModuleDirectory);
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
        var requester = args.RequestingAssembly;
        var path = _windowsPowerShellPolicy?.FindPath(new AssemblyName(args.Name), requester?.GetName(), requester?.Location);
        return path is null ? null : Assembly.LoadFrom(path);
    }
}
