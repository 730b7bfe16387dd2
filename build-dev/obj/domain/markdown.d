build-dev/obj/domain/markdown.o: src/domain/markdown.c \
 src/domain/markdown.h src/core/util.h
src/domain/markdown.h:
src/core/util.h:
