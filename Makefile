# The two commands of the README: `make demo` and `make test`. Both install what is missing,
# build, then run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup configure build demo test test-cpp test-python asan format clean

all: build

setup:
	@BUILD_DIR=$(BUILD_DIR) bash scripts/setup.sh

configure: setup
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS); fi

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Every test under AddressSanitizer + UndefinedBehaviorSanitizer: the C++ tests, then the
# Python interop suite driving the sanitized tools.
asan: setup
	@cmake -S . -B $(BUILD_DIR)-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNGFF_SANITIZE=ON \
	  -DNGFF_PYTHON=$(abspath $(BUILD_DIR))/venv/bin/python
	@cmake --build $(BUILD_DIR)-asan -j $(JOBS)
	@cd $(BUILD_DIR)-asan && ctest --output-on-failure -j $(JOBS) -E python_interop
	@# The interop suite with the sanitized tools (peak-RSS bounds do not hold under ASan).
	@cd tests/python && NGFF_BIN=$(abspath $(BUILD_DIR))-asan/ngff \
	  NGFF_RAWIO=$(abspath $(BUILD_DIR))-asan/tests/ngff_rawio \
	  NGFF_DOWNSAMPLE=$(abspath $(BUILD_DIR))-asan/tests/ngff_downsample \
	  NGFF_EXAMPLES_DIR=$(abspath $(BUILD_DIR))-asan \
	  $(abspath $(BUILD_DIR))/venv/bin/python -m pytest -q -p no:cacheprovider \
	  --deselect test_ome_examples_memory.py::test_create_keeps_memory_bounded

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-asan
