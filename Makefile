# The two commands of the README: `make demo` and `make test`. Both install what is missing,
# build, then run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# ccache hits across clones and worktrees (CI builds a fresh clone in another folder): paths
# below the repository are hashed relative to it, and the working directory is not hashed.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: all setup configure build demo test test-standalone release-check bench asan tsan pip-check \
  install-check wheel wheel-check lint fuzz format clean

all: build

setup:
	@BUILD_DIR=$(BUILD_DIR) bash scripts/setup.sh

configure: setup
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DNGFF_BUILD_PYTHON=ON -DPython_EXECUTABLE=$(abspath $(BUILD_DIR))/venv/bin/python \
	    $(CMAKE_FLAGS); fi

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The tests as a clone with nothing beside it runs them: the spec and codec fixtures hidden, the
# tests that need them must skip (with a reason) and every other C++ test must pass.
test-standalone: build
	@cd $(BUILD_DIR) && NGFF_SPEC_FIXTURES=/nonexistent NGFF_CODEC_FIXTURES=/nonexistent \
	  ctest --output-on-failure -j $(JOBS) -E '^python_'

# What users build: Release (-O3, -Werror on) with GCC and with clang — library, CLI, tests and
# examples — and the clang build's C++ tests. (GCC 12 warns at -O3 where it does not at -O2.)
release-check: setup
	@cmake -S . -B $(BUILD_DIR)-release -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	@cmake --build $(BUILD_DIR)-release -j $(JOBS)
	@cmake -S . -B $(BUILD_DIR)-clang -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_COMPILER=clang++ $(CMAKE_FLAGS)
	@cmake --build $(BUILD_DIR)-clang -j $(JOBS)
	@cd $(BUILD_DIR)-clang && ctest --output-on-failure -j $(JOBS) -E '^python_'

# The peer benchmark (bench/run): installs the peers into $(BUILD_DIR)/venv-bench, builds the
# Python module, runs every workload and library, and writes bench/RESULTS.md.
# E.g. `make bench BENCH_ARGS=--quick`.
bench: configure
	@BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bench/run $(BENCH_ARGS)

# Every test under AddressSanitizer + UndefinedBehaviorSanitizer: the C++ tests, then the
# Python interop suite driving the sanitized tools.
asan: build
	@cmake -S . -B $(BUILD_DIR)-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNGFF_SANITIZE=ON \
	  -DNGFF_PYTHON=$(abspath $(BUILD_DIR))/venv/bin/python
	@cmake --build $(BUILD_DIR)-asan -j $(JOBS)
	@cd $(BUILD_DIR)-asan && ctest --output-on-failure -j $(JOBS) -E '^python_'
	@# The interop suite with the sanitized tools (peak-RSS bounds do not hold under ASan: tests marked peak_rss are left out).
	@cd tests/python && NGFF_BIN=$(abspath $(BUILD_DIR))-asan/ngff \
	  NGFF_RAWIO=$(abspath $(BUILD_DIR))-asan/tests/ngff_rawio \
	  NGFF_DOWNSAMPLE=$(abspath $(BUILD_DIR))-asan/tests/ngff_downsample \
	  NGFF_EXAMPLES_DIR=$(abspath $(BUILD_DIR))-asan PYTHONPATH=$(abspath $(BUILD_DIR))/python_pkg \
	  $(abspath $(BUILD_DIR))/venv/bin/python -m pytest -q -p no:cacheprovider -m 'not peak_rss'

# ThreadSanitizer: the C++ tests, the CLI and the raw-I/O tool built with -fsanitize=thread in
# $(BUILD_DIR)-tsan (only those targets; the library's parallel loops run on plain threads there,
# see src/util/parallel_for.hpp), the C++ tests run (they cover the parallel sharding
# encoder, chunk-parallel reads and writes, the caching store and the pyramid writers), then the
# concurrency-heavy Python tests driving the sanitized tools: parallel copy with progress, the
# HTTP client's batches and retries, processes writing one array, `ngff view`'s server under
# many parallel readers. Any data race fails the run.
TSAN_PYTEST ?= test_copy.py test_http_store.py test_network_faults.py test_concurrent_writers.py \
  test_view_load.py
tsan: build
	@cmake -S . -B $(BUILD_DIR)-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DNGFF_SANITIZE=thread -DNGFF_BUILD_EXAMPLES=OFF
	@cmake --build $(BUILD_DIR)-tsan -j $(JOBS) --target ngff_tests ngff_cli ngff_rawio
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  $(BUILD_DIR)-tsan/tests/ngff_tests --gtest_brief=1
	@cd tests/python && TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  NGFF_BIN=$(abspath $(BUILD_DIR))-tsan/ngff \
	  NGFF_RAWIO=$(abspath $(BUILD_DIR))-tsan/tests/ngff_rawio \
	  NGFF_DOWNSAMPLE=$(abspath $(BUILD_DIR))/tests/ngff_downsample \
	  NGFF_EXAMPLES_DIR=$(abspath $(BUILD_DIR)) PYTHONPATH=$(abspath $(BUILD_DIR))/python_pkg \
	  $(abspath $(BUILD_DIR))/venv/bin/python -m pytest -q -p no:cacheprovider $(TSAN_PYTEST)

# `pip install .` from the repo root into a fresh venv, then a smoke test of the installed package.
pip-check: setup
	@rm -rf $(BUILD_DIR)/pip-check && python3 -m venv $(BUILD_DIR)/pip-check
	@$(BUILD_DIR)/pip-check/bin/pip install -q --disable-pip-version-check .
	@cd /tmp && $(abspath $(BUILD_DIR))/pip-check/bin/python -c "import ngff, numpy as np, tempfile, os; \
	  d = tempfile.mkdtemp(); img = ngff.write_image(os.path.join(d, 'i.zarr'), np.arange(4096, dtype='uint16').reshape(64, 64), levels=2); \
	  assert (ngff.open_image(img.url)[0].to_numpy() == np.arange(4096).reshape(64, 64)).all(); print('pip install . works:', img)"

# ngff as a package others build on: installs $(BUILD_DIR) into a temporary prefix, builds
# examples/ against it with find_package, links a program with pkg-config, and configures a
# project that add_subdirectory()s ngff (scripts/check-install.sh).
install-check: build
	@BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash scripts/check-install.sh

# A self-contained wheel in $(BUILD_DIR)/wheelhouse/: the module built in Release by
# scikit-build-core, the shared libraries it links bundled by auditwheel (tools in
# $(BUILD_DIR)/venv-wheel). `make wheel-check` installs it into a fresh venv and tests it there.
wheel: setup
	@BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash scripts/build-wheel.sh

wheel-check:
	@BUILD_DIR=$(BUILD_DIR) bash scripts/check-wheel.sh

# The libFuzzer targets (fuzz/, clang + ASan/UBSan, in $(BUILD_DIR)-fuzz), each run for
# FUZZ_SECONDS (default 60) from generated seeds and the corpus of earlier runs (scripts/fuzz.sh).
fuzz: setup
	@JOBS=$(JOBS) bash scripts/fuzz.sh $(BUILD_DIR)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

# Every C++ file formatted as the repo's .clang-format says (`make format` fixes them), then
# clang-tidy (.clang-tidy) over the library, CLI, tests and examples with the build's compile
# commands, JOBS in parallel. Files whose source, flags and includes are unchanged since a clean
# check are skipped (cache in NGFF_LINT_CACHE_DIR if set, else $(BUILD_DIR)/lint-cache).
lint: build
	@JOBS=$(JOBS) bash scripts/lint.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-asan $(BUILD_DIR)-tsan $(BUILD_DIR)-release $(BUILD_DIR)-clang $(BUILD_DIR)-fuzz
