from reportgen.cli import run

if __name__ == "__main__":  # not when a batch worker's start-up imports it
    run()
