/**
 * The small Python program that calls `module.function(*args, **kwargs)` for a `python_function` task.
 *
 * It reads the call from a JSON file (argv[1]) and writes the JSON return value to another file (argv[2]),
 * a channel that does not mix with the function's own prints on stdout. An exception prints its
 * traceback (without the bootstrap's own frames) on stderr and exits with 1. Coroutine functions are run
 * with `asyncio.run`. The working directory is put first on `sys.path`.
 * @module
 */

/** Exit code of the bootstrap when the return value is not JSON-serializable. */
export const NOT_SERIALIZABLE_EXIT = 3;

/** Python source, run with `python -c`. */
export const PYTHON_FUNCTION_BOOTSTRAP = `
import importlib, inspect, json, os, sys, traceback

def _jorm_fail(message):
    sys.stderr.write("jorm: " + message + "\\n")
    sys.exit(1)

def _jorm_main():
    call_path, result_path = sys.argv[1], sys.argv[2]
    with open(call_path, encoding="utf-8") as f:
        call = json.load(f)
    module_name, function_name = call["module"], call["function"]
    sys.argv = [module_name]
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and module_name.startswith(error.name):
            _jorm_fail("cannot import module %r: %s (the working directory %s is on sys.path)" % (module_name, error, cwd))
        raise
    target = module
    for part in function_name.split("."):
        if not hasattr(target, part):
            _jorm_fail("module %r has no function %r" % (module_name, function_name))
        target = getattr(target, part)
    if not callable(target):
        _jorm_fail("%s.%s is not callable" % (module_name, function_name))
    result = target(*call["args"], **call["kwargs"])
    if inspect.isawaitable(result):
        import asyncio
        async def _jorm_await():
            return await result
        result = asyncio.run(_jorm_await())
    try:
        text = json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as error:
        sys.stderr.write("jorm: the return value of %s.%s is not JSON-serializable: %s\\n" % (module_name, function_name, error))
        sys.exit(${NOT_SERIALIZABLE_EXIT})
    with open(result_path, "w", encoding="utf-8") as f:
        f.write(text)

try:
    _jorm_main()
except SystemExit:
    raise
except BaseException as error:
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb)
    sys.stdout.flush()
    sys.exit(1)
`;
