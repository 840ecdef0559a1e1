# The two commands of the README: `make run` and `make test`. Both install what is missing first.
# CI (.ci/run) also runs `make sanitize` and `make fuzz FUZZ_SECONDS=60` (docs/testing.md).
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build run test bench model sanitize asan tsan fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > $(BUILD).configure.log 2>&1 \
	  || (cat $(BUILD).configure.log; exit 1)

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@bash scripts/run.sh $(BUILD)

test: build
	@bash scripts/test.sh $(BUILD)

bench: build
	@bash scripts/bench.sh $(BUILD)

# Rebuilds the shipped injection model from the data listed in engine/models/training_data.txt (external
# sets under DATA_ROOT, the project's corpora/injection). Deterministic: the same data gives the same bytes.
# The thresholds stored in it leave out operator-side system prompts (scanned only with scan_system).
DATA_ROOT ?= ../shared/corpora
model:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > $(BUILD).configure.log 2>&1 \
	  || (cat $(BUILD).configure.log; exit 1)
	@cmake --build $(BUILD) -j $(JOBS) --target sluice
	$(BUILD)/sluice model train --out engine/models/injection.model \
	  --list engine/models/training_data.txt --data-root $(DATA_ROOT) --operator-source system_prompts $(MODEL_FLAGS)

# Every ctest test under ASan+UBSan (build-asan), then the gateway tests under TSan (build-tsan).
sanitize: asan tsan

asan: deps
	@JOBS=$(JOBS) bash scripts/sanitize.sh asan

tsan: deps
	@JOBS=$(JOBS) bash scripts/sanitize.sh tsan

# Every libFuzzer target for FUZZ_SECONDS seconds (in build-asan); any finding fails with its reproducer.
fuzz: deps
	@JOBS=$(JOBS) FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(BUILD).configure.log build-asan build-asan.configure.log build-tsan build-tsan.configure.log
