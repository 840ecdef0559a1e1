# The two commands of the README: `make run` and `make test`. Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test bench model clean

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

clean:
	rm -rf $(BUILD) $(BUILD).configure.log
